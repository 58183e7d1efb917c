/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A processing list in memory: records acknowledgements and dead letters, fails the next few calls as a
 * Redis that is away would, and answers dead letters with a chosen script result.
 */
final class FakeProcessingList implements ProcessingList {
    final List<String> acknowledged = new ArrayList<>();
    final List<String> deadLetters = new ArrayList<>();
    /** Calls still to fail. */
    int failures;
    /** What the dead-letter script answers: 1 moved, 2 already there, 0 taken back. */
    long deadLetterResult = 1;
    /** Runs at each call, before it fails or succeeds (a test flips stop() state here). */
    Runnable onCall = () -> {};

    @Override
    public void acknowledge(String raw) {
        call();
        acknowledged.add(raw);
    }

    @Override
    public long deadLetter(String raw, String letterJson, int limit) {
        call();
        if (deadLetterResult == 1) {
            deadLetters.add(letterJson);
        }
        return deadLetterResult;
    }

    private void call() {
        onCall.run();
        if (failures > 0) {
            failures--;
            throw new IllegalStateException("Redis is away");
        }
    }
}
