/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client;

/** Told about every event that failed for good: a handler gave up, or the event was not valid JSON. */
@FunctionalInterface
public interface ErrorHandler {
    /**
     * @param failure what failed: the event's raw JSON, the error, and how many attempts were made
     */
    void onError(DeadLetter failure);
}
