/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relax.broker.internal.http.BrokerMetrics;
import io.lettuce.core.RedisConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RedisRetryTest {
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** The fake clock: every wait the retry asks for, none of them slept. */
    private final List<Duration> waits = new ArrayList<>();

    private final RedisRetry retry = new RedisRetry(metrics, stopped::get, waits::add);

    @Test
    void retriesAFailingCallWithAGrowingBackOffUntilItAnswers() {
        AtomicInteger calls = new AtomicInteger();

        String value = retry.get("read the bots hash", () -> {
            if (calls.incrementAndGet() <= 3) {
                throw new RedisConnectionException("connection refused");
            }
            return "ok";
        });

        assertThat(value).isEqualTo("ok");
        assertThat(calls).hasValue(4);
        assertThat(metrics.redisErrors.count()).isEqualTo(3);
        assertThat(waits).hasSize(3);
        // Full jitter below ceilings of 0.1, 0.2 and 0.4 s.
        assertThat(waits.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(100));
        assertThat(waits.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(200));
        assertThat(waits.get(2)).isBetween(Duration.ZERO, Duration.ofMillis(400));
    }

    @Test
    void givesUpWithNullOnceTheBrokerStops() {
        AtomicInteger calls = new AtomicInteger();
        RedisRetry stopping = new RedisRetry(metrics, stopped::get, delay -> stopped.set(true));

        String value = stopping.get("reload the apps hash", () -> {
            calls.incrementAndGet();
            throw new RedisConnectionException("connection refused");
        });

        assertThat(value).isNull();
        assertThat(calls).hasValue(1);
        assertThat(stopping.run("reload the apps hash", () -> {})).isFalse();
        assertThat(calls).hasValue(1);
    }

    @Test
    void anUnsupportedServerIsNotRetried() {
        RedisServerCheck old = new RedisServerCheck(() -> "# Server\r\nredis_version:6.0.9\r\n", "redis://r:6379");

        assertThatThrownBy(() -> retry.run("read the Redis server's version", old::verify))
                .isInstanceOf(RedisServerCheck.Unsupported.class)
                .hasMessageContaining("6.0.9")
                .hasMessageContaining("redis://r:6379");
        assertThat(waits).isEmpty();
        assertThat(metrics.redisErrors.count()).isZero();
    }

    @Test
    void anInterruptedWaitEndsTheRetryAndKeepsTheInterrupt() {
        RedisRetry interrupted = new RedisRetry(metrics, stopped::get, delay -> {
            throw new InterruptedException();
        });
        try {
            assertThat(interrupted.run("connect to Redis", () -> {
                        throw new RedisConnectionException("connection refused");
                    }))
                    .isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
