/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with full jitter: the pause before retry {@code n} (1-based) is uniform in
 * {@code [0, min(max, initial * 2^(n-1))]}, so that relays that failed together do not retry together.
 * The random source is injected, so tests pick the value.
 *
 * @param initial the ceiling before the first retry
 * @param max the largest ceiling
 */
record Backoff(Duration initial, Duration max) {
    Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 <= initial <= max, was " + initial + ", " + max);
        }
    }

    /** The ceiling of the pause before retry {@code retry} (1-based). */
    Duration ceiling(int retry) {
        long max = this.max.toNanos();
        long ceiling = initial.toNanos();
        for (int i = 1; i < retry && ceiling < max; i++) {
            ceiling = ceiling > max / 2 ? max : ceiling * 2;
        }
        return Duration.ofNanos(Math.min(ceiling, max));
    }

    /** A pause before retry {@code retry}, drawn from {@code random}. */
    Duration delay(int retry, RandomGenerator random) {
        long ceiling = ceiling(retry).toNanos();
        return Duration.ofNanos(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
    }
}
