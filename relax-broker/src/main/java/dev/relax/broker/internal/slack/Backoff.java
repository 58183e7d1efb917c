/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/):
 * the delay before retry {@code n} is uniform in {@code [1 ms, min(max, initial * 2^n)]}, so that a fleet of
 * bots that failed together does not retry together. Never zero when the ceiling is not: a retry is always
 * a timer's, never run at once on the thread that saw the failure.
 */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 <= initial <= max, was " + initial + ", " + max);
        }
    }

    /** The Go broker's start (1.5 s), capped at one minute. */
    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(1500), Duration.ofSeconds(60));
    }

    /** The ceiling of the delay before retry {@code attempt} (0-based). */
    public Duration ceiling(int attempt) {
        long ceiling = initial.toMillis() << Math.min(attempt, 30);
        return Duration.ofMillis(Math.min(max.toMillis(), ceiling < 0 ? Long.MAX_VALUE : ceiling));
    }

    /** A random delay before retry {@code attempt}. */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toMillis();
        return Duration.ofMillis(
                ceiling == 0 ? 0 : 1 + ThreadLocalRandom.current().nextLong(ceiling));
    }
}
