/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

/** How the consumer's threads wait out a back-off; tests pass one that records instead of sleeping. */
@FunctionalInterface
interface Pause {
    /**
     * Sleeps for a back-off. An interrupt ends the sleep and is not kept: only stop() interrupts the
     * consumer's threads, after setting {@code abandoned}, which every retry loop checks; a kept interrupt
     * would make each later sleep and Redis call fail at once, and such a loop spin.
     */
    Pause SLEEP = millis -> {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // see above
        }
    };

    void sleep(long millis);
}
