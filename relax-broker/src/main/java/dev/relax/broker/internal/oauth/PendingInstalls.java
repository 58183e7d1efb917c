/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * How many installs this broker started whose state may still be alive in Redis: each start costs a key
 * for the state's lifetime, and anyone can ask for one, so a flood of requests to {@code /slack/install/}
 * is refused past a cap instead of filling the Redis that also holds the events. Thread-safe.
 */
final class PendingInstalls {
    private final Clock clock;
    private final int max;
    private final Duration lifetime;
    /** When each start still counted happened, oldest first. */
    private final ArrayDeque<Instant> started = new ArrayDeque<>();

    PendingInstalls(Clock clock, int max, Duration lifetime) {
        this.clock = clock;
        this.max = max;
        this.lifetime = lifetime;
    }

    /** Whether another install may start now; counts it when it may. */
    synchronized boolean admit() {
        Instant now = clock.instant();
        while (!started.isEmpty() && !started.peekFirst().plus(lifetime).isAfter(now)) {
            started.pollFirst();
        }
        if (started.size() >= max) {
            return false;
        }
        started.addLast(now);
        return true;
    }
}
