/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesFromTheGoBrokersStartUpToTheCap() {
        Backoff b = Backoff.standard();
        assertThat(b.ceiling(0)).isEqualTo(Duration.ofMillis(1500));
        assertThat(b.ceiling(1)).isEqualTo(Duration.ofMillis(3000));
        assertThat(b.ceiling(3)).isEqualTo(Duration.ofMillis(12000));
        assertThat(b.ceiling(10)).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.ceiling(1000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void delayIsFullJitterBelowTheCeiling() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        long distinct = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> b.delay(3))
                .peek(d -> assertThat(d).isBetween(Duration.ofMillis(1), Duration.ofMillis(800)))
                .distinct()
                .count();
        assertThat(distinct).as("random delays, not one value").isGreaterThan(20);
    }

    @Test
    void delayIsNeverZeroWhenTheCeilingIsNot() {
        // A zero delay would run the retry at once on the failing thread instead of on a timer.
        Backoff b = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1));
        assertThat(java.util.stream.IntStream.range(0, 100).mapToObj(i -> b.delay(0)))
                .containsOnly(Duration.ofMillis(1));
        assertThat(new Backoff(Duration.ZERO, Duration.ZERO).delay(5)).isEqualTo(Duration.ZERO);
    }

    @Test
    void rejectsAMaxBelowTheStart() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
