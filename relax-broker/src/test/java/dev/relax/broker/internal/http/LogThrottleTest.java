/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private final AtomicLong now = new AtomicLong(123_456_789L);
    private final LogThrottle throttle = new LogThrottle(Duration.ofSeconds(10), now::get);

    @Test
    void letsTheFirstLineOfEachKeyThroughAndHoldsBackTheRestOfTheInterval() {
        assertThat(throttle.admit("bad_signature")).isZero();
        assertThat(throttle.admit("bad_signature")).isEqualTo(LogThrottle.SUPPRESS);
        assertThat(throttle.admit("stale")).isZero();
        now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        assertThat(throttle.admit("bad_signature")).isEqualTo(LogThrottle.SUPPRESS);
    }

    @Test
    void theFirstLineAfterTheIntervalSaysHowManyWereHeldBack() {
        throttle.admit("bad_signature");
        throttle.admit("bad_signature");
        throttle.admit("bad_signature");
        now.addAndGet(Duration.ofSeconds(10).toNanos());

        assertThat(throttle.admit("bad_signature")).isEqualTo(2);
        assertThat(throttle.admit("bad_signature")).isEqualTo(LogThrottle.SUPPRESS);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(throttle.admit("bad_signature")).isEqualTo(1);
    }
}
