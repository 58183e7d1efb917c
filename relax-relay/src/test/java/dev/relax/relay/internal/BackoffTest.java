/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));

    @Test
    void ceilingDoublesFromInitialUpToMax() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void hugeMaxDoesNotOverflow() {
        Backoff wide = new Backoff(Duration.ofSeconds(1), Duration.ofNanos(Long.MAX_VALUE));
        assertThat(wide.ceiling(200)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
        assertThat(wide.ceiling(3)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void fullJitterSpansZeroToTheCeiling() {
        assertThat(backoff.delay(3, fixed(0))).isEqualTo(Duration.ZERO);
        assertThat(backoff.delay(3, fixed(Long.MAX_VALUE))).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(3, fixed(123_456_789))).isEqualTo(Duration.ofNanos(123_456_789));
    }

    @Test
    void zeroBackoffNeverPauses() {
        Backoff none = new Backoff(Duration.ZERO, Duration.ZERO);
        assertThat(none.delay(5, RandomGenerator.getDefault())).isEqualTo(Duration.ZERO);
    }

    @Test
    void rejectsMaxBelowInitial() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("back-off needs 0 <= initial <= max, was PT2S, PT1S");
    }

    /** A generator whose bounded longs are {@code value}, clamped below the bound. */
    private static RandomGenerator fixed(long value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return value;
            }

            @Override
            public long nextLong(long bound) {
                return Math.min(value, bound - 1);
            }
        };
    }
}
