/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.Backoff;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Redis call until it succeeds or the broker stops: commands and reconciliations must not vanish
 * because Redis blinked. Each failure is counted ({@code relax_redis_errors_total}) and logged, then the
 * call waits a random back-off (0.1 s doubling to 5 s) and runs again. Used by one thread at a time per
 * call; the {@link Sleeper} is injected so that tests step time instead of sleeping.
 */
public final class RedisRetry {
    private static final Logger log = LoggerFactory.getLogger(RedisRetry.class);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    /** Waits {@code delay}; {@code Thread::sleep} in production. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration delay) throws InterruptedException;
    }

    private final BrokerMetrics metrics;
    private final BooleanSupplier stopped;
    private final Sleeper sleeper;

    /** @param stopped true once the broker closes: the call is then given up */
    public RedisRetry(BrokerMetrics metrics, BooleanSupplier stopped, Sleeper sleeper) {
        this.metrics = metrics;
        this.stopped = stopped;
        this.sleeper = sleeper;
    }

    /**
     * What {@code call} returned, once it returned; null when the broker stopped (or the thread was
     * interrupted) first. {@code what} completes "cannot ..." in the log. A {@link
     * RedisServerCheck.Unsupported} is thrown at once: retrying cannot help.
     */
    public <T> T get(String what, Supplier<T> call) {
        for (int attempt = 0; !stopped.getAsBoolean(); attempt++) {
            try {
                return call.get();
            } catch (RedisServerCheck.Unsupported e) {
                throw e;
            } catch (RuntimeException e) {
                metrics.redisErrors.increment();
                Duration delay = BACKOFF.delay(attempt);
                log.warn("cannot {} ({}); retrying in {} ms", what, e.toString(), delay.toMillis());
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        return null;
    }

    /** As {@link #get}, for a call without a result; false when the broker stopped first. */
    public boolean run(String what, Runnable call) {
        return get(what, () -> {
                    call.run();
                    return Boolean.TRUE;
                })
                != null;
    }
}
