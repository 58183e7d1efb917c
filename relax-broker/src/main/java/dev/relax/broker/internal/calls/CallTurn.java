/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import java.time.Duration;

/**
 * What the broker's local lanes ({@link LocalLanes}) tell a call they run, and how the call waits. Called
 * on the call's thread.
 */
interface CallTurn {
    /** False once another broker took the entry over. */
    boolean ours();

    /** Redis says another broker took the entry over (or finished it): it is not this broker's any more. */
    void lose();

    /** False once the broker closes: a call that has not reached Slack is then handed over. */
    boolean open();

    /** False once an earlier call of the same channel came to this broker: it goes first. */
    boolean firstHere();

    /** How long a call whose turn has not come waits before it asks again. */
    Duration poll();

    /** Sleeps up to {@code d}; false, at once, when the broker starts closing meanwhile. */
    boolean pause(Duration d) throws InterruptedException;
}
