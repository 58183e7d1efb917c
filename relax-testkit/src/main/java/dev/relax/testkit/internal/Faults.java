/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Time-boxed failures chosen by a test: rate limits, refused connections, team migrations. Thread-safe. */
public final class Faults {
    private final Clock clock;
    private final Map<String, Instant> rateLimitedUntil = new ConcurrentHashMap<>();
    private final Map<String, Instant> migratingUntil = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> serverErrors = new ConcurrentHashMap<>();
    private final Map<String, Duration> answerDelays = new ConcurrentHashMap<>();
    private volatile Instant refusingUntil = Instant.MIN;

    public Faults(Clock clock) {
        this.clock = clock;
    }

    public void rateLimit(String method, Duration duration) {
        rateLimitedUntil.put(method, clock.instant().plus(duration));
    }

    /**
     * Whole seconds until {@code method} may be called again, at least 1 while it is limited, 0 when it
     * is not: the value of the {@code Retry-After} header (https://api.slack.com/apis/rate-limits).
     */
    public long retryAfterSeconds(String method) {
        Instant until = rateLimitedUntil.get(method);
        if (until == null) {
            return 0;
        }
        long millis = Duration.between(clock.instant(), until).toMillis();
        if (millis <= 0) {
            rateLimitedUntil.remove(method, until);
            return 0;
        }
        return Math.max(1, (millis + 999) / 1000);
    }

    /** The next {@code count} calls of {@code method} answer HTTP 500. */
    public void serverErrors(String method, int count) {
        serverErrors
                .computeIfAbsent(method, m -> new java.util.concurrent.atomic.AtomicInteger())
                .addAndGet(count);
    }

    /** True (and one fewer left) when this call of {@code method} is to answer HTTP 500. */
    public boolean takeServerError(String method) {
        java.util.concurrent.atomic.AtomicInteger left = serverErrors.get(method);
        return left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    /** Calls of {@code method} are carried out at once, but answered only {@code delay} later; zero: at once. */
    public void slowAnswers(String method, Duration delay) {
        if (delay.isZero()) {
            answerDelays.remove(method);
        } else {
            answerDelays.put(method, delay);
        }
    }

    /** How long the answer to a call of {@code method} waits after the call was carried out. */
    public Duration answerDelay(String method) {
        return answerDelays.getOrDefault(method, Duration.ZERO);
    }

    public void refuseConnections(Duration duration) {
        refusingUntil = clock.instant().plus(duration);
    }

    public boolean refusingConnections() {
        return clock.instant().isBefore(refusingUntil);
    }

    public void migrate(String teamId, Duration duration) {
        migratingUntil.put(teamId, clock.instant().plus(duration));
    }

    public boolean migrating(String teamId) {
        Instant until = migratingUntil.get(teamId);
        return until != null && clock.instant().isBefore(until);
    }
}
