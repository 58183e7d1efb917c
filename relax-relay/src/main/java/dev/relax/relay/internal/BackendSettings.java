/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import java.net.URI;
import java.time.Duration;

/**
 * How {@link BackendClient} calls the backend. Built by {@link #builder(URI)}; the relay's configuration (later) fills it from the environment.
 *
 * @param url where to POST, exactly as configured
 * @param bearerToken sent as {@code Authorization: Bearer …}; {@code null} for none. Never in
 *     {@link #toString()}
 * @param connectTimeout to open the connection
 * @param firstByteTimeout from sending the request to the response's status and headers
 * @param idleTimeout the longest silence between two pieces of the body (comments count: they are how a
 *     backend says it is still working)
 * @param totalTimeout one attempt, from sending the request to the end of the answer
 * @param maxAttempts attempts per question, the first included (1: no retry)
 * @param backoff the pause before each retry
 * @param breakerThreshold consecutive failed attempts that open the circuit breaker
 * @param breakerCoolDown how long the open breaker refuses calls before it lets one probe through
 */
record BackendSettings(
        URI url,
        String bearerToken,
        Duration connectTimeout,
        Duration firstByteTimeout,
        Duration idleTimeout,
        Duration totalTimeout,
        int maxAttempts,
        Backoff backoff,
        int breakerThreshold,
        Duration breakerCoolDown) {

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(5);
    static final int DEFAULT_MAX_ATTEMPTS = 3;
    static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));
    static final int DEFAULT_BREAKER_THRESHOLD = 5;
    static final Duration DEFAULT_BREAKER_COOL_DOWN = Duration.ofSeconds(30);

    BackendSettings {
        String scheme = url == null ? null : url.getScheme();
        check(scheme != null && (scheme.equals("http") || scheme.equals("https")), "url", url);
        check(bearerToken == null || !bearerToken.isBlank(), "bearerToken", "(blank)");
        check(positive(connectTimeout), "connectTimeout", connectTimeout);
        check(positive(firstByteTimeout), "firstByteTimeout", firstByteTimeout);
        check(positive(idleTimeout), "idleTimeout", idleTimeout);
        check(positive(totalTimeout), "totalTimeout", totalTimeout);
        check(maxAttempts >= 1, "maxAttempts", maxAttempts);
        check(backoff != null, "backoff", null);
        check(breakerThreshold >= 1, "breakerThreshold", breakerThreshold);
        check(breakerCoolDown != null && !breakerCoolDown.isNegative(), "breakerCoolDown", breakerCoolDown);
    }

    /** The defaults for a backend at {@code url}: no token, the {@code DEFAULT_…} constants. */
    static BackendSettings defaults(URI url) {
        return builder(url).build();
    }

    /** A builder starting from the defaults for a backend at {@code url}. */
    static Builder builder(URI url) {
        return new Builder(url);
    }

    @Override
    public String toString() {
        return "BackendSettings[url=" + RelayEnvironment.redactUrl(url.toString()) + ", bearerToken="
                + (bearerToken == null ? "none" : "****")
                + ", connectTimeout=" + connectTimeout + ", firstByteTimeout=" + firstByteTimeout
                + ", idleTimeout=" + idleTimeout + ", totalTimeout=" + totalTimeout + ", maxAttempts="
                + maxAttempts + ", backoff=" + backoff + ", breakerThreshold=" + breakerThreshold
                + ", breakerCoolDown=" + breakerCoolDown + "]";
    }

    private static boolean positive(Duration duration) {
        return duration != null && duration.isPositive();
    }

    private static void check(boolean valid, String field, Object value) {
        if (!valid) {
            throw new IllegalArgumentException("invalid backend setting " + field + ": " + value);
        }
    }

    /** Collects settings; {@link #build()} validates them, naming the bad one. Not thread-safe. */
    static final class Builder {
        private final URI url;
        private String bearerToken;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration firstByteTimeout = DEFAULT_FIRST_BYTE_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Backoff backoff = DEFAULT_BACKOFF;
        private int breakerThreshold = DEFAULT_BREAKER_THRESHOLD;
        private Duration breakerCoolDown = DEFAULT_BREAKER_COOL_DOWN;

        private Builder(URI url) {
            this.url = url;
        }

        Builder bearerToken(String token) {
            this.bearerToken = token;
            return this;
        }

        Builder timeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {
            this.connectTimeout = connect;
            this.firstByteTimeout = firstByte;
            this.idleTimeout = idle;
            this.totalTimeout = total;
            return this;
        }

        Builder retries(int attempts, Backoff pause) {
            this.maxAttempts = attempts;
            this.backoff = pause;
            return this;
        }

        Builder breaker(int threshold, Duration coolDown) {
            this.breakerThreshold = threshold;
            this.breakerCoolDown = coolDown;
            return this;
        }

        BackendSettings build() {
            return new BackendSettings(
                    url,
                    bearerToken,
                    connectTimeout,
                    firstByteTimeout,
                    idleTimeout,
                    totalTimeout,
                    maxAttempts,
                    backoff,
                    breakerThreshold,
                    breakerCoolDown);
        }
    }
}
