/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import java.net.URI;
import java.time.Duration;

/**
 * How {@link BackendClient} calls the backend. Built from {@link #defaults(URI)} and its {@code with…}
 * copies; the relay's configuration (later) fills it from the environment.
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
        return new BackendSettings(
                url,
                null,
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_FIRST_BYTE_TIMEOUT,
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_TOTAL_TIMEOUT,
                DEFAULT_MAX_ATTEMPTS,
                DEFAULT_BACKOFF,
                DEFAULT_BREAKER_THRESHOLD,
                DEFAULT_BREAKER_COOL_DOWN);
    }

    BackendSettings withBearerToken(String token) {
        return new BackendSettings(
                url,
                token,
                connectTimeout,
                firstByteTimeout,
                idleTimeout,
                totalTimeout,
                maxAttempts,
                backoff,
                breakerThreshold,
                breakerCoolDown);
    }

    BackendSettings withTimeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {
        return new BackendSettings(
                url,
                bearerToken,
                connect,
                firstByte,
                idle,
                total,
                maxAttempts,
                backoff,
                breakerThreshold,
                breakerCoolDown);
    }

    BackendSettings withRetries(int attempts, Backoff pause) {
        return new BackendSettings(
                url,
                bearerToken,
                connectTimeout,
                firstByteTimeout,
                idleTimeout,
                totalTimeout,
                attempts,
                pause,
                breakerThreshold,
                breakerCoolDown);
    }

    BackendSettings withBreaker(int threshold, Duration coolDown) {
        return new BackendSettings(
                url,
                bearerToken,
                connectTimeout,
                firstByteTimeout,
                idleTimeout,
                totalTimeout,
                maxAttempts,
                backoff,
                threshold,
                coolDown);
    }

    @Override
    public String toString() {
        return "BackendSettings[url=" + url + ", bearerToken=" + (bearerToken == null ? "none" : "****")
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
}
