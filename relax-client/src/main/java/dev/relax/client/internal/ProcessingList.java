/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

/**
 * Where a handled event leaves this consumer's processing list: acknowledged, or moved to the dead-letter
 * list. Each call may throw while Redis is away; the callers retry. Tests use an in-memory fake.
 */
interface ProcessingList {
    /** Removes one copy of {@code raw} from the processing list (LREM). */
    void acknowledge(String raw);

    /**
     * Moves {@code raw} from the processing list to the dead-letter list as {@code letterJson}, trimming
     * that list to the newest {@code limit} entries: {@link ConsumerRedis#DEAD_LETTER}'s 1, 2 or 0.
     */
    long deadLetter(String raw, String letterJson, int limit);
}
