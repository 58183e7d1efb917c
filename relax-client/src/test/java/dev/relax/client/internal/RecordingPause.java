/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import java.util.ArrayList;
import java.util.List;

/** A {@link Pause} that records each back-off instead of sleeping. */
final class RecordingPause implements Pause {
    final List<Long> pauses = new ArrayList<>();

    @Override
    public void sleep(long millis) {
        pauses.add(millis);
    }
}
