/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker;

import static dev.relax.broker.BrokerOptions.WebSocketLibrary.*;

import dev.relax.core.RelaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads optional settings from an environment: empty when a variable is unset or blank, a {@link
 * RelaxException} naming the variable and its value when it is malformed.
 */
final class EnvReader {
    private final Map<String, String> env;

    EnvReader(Map<String, String> env) {
        this.env = env;
    }

    Optional<String> text(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** A number of seconds, to the millisecond. */
    Optional<Duration> seconds(String name) {
        return seconds(name, 1_000_000);
    }

    /** A number of seconds, to the microsecond (for sub-millisecond settings). */
    Optional<Duration> secondsToTheMicrosecond(String name) {
        return seconds(name, 1_000);
    }

    Optional<Integer> integer(String name) {
        return text(name).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw RelaxException.badSetting(name, "must be a whole number, was '" + env.get(name) + "'");
            }
        });
    }

    /** One of {@code values}' keys, in any case; {@code expected} lists them for the error message. */
    <T> Optional<T> choice(String name, String expected, Map<String, T> values) {
        return text(name).map(v -> {
            T value = values.get(v.toLowerCase(Locale.ROOT));
            if (value == null) {
                throw RelaxException.badSetting(name, "must be " + expected + ", was '" + env.get(name) + "'");
            }
            return value;
        });
    }

    private Optional<Duration> seconds(String name, long unitNanos) {
        return text(name).map(v -> {
            try {
                double s = Double.parseDouble(v);
                if (s >= 0 && !Double.isInfinite(s)) {
                    return Duration.ofNanos(Math.round(s * 1e9 / unitNanos) * unitNanos);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw RelaxException.badSetting(name, "must be a number of seconds, was '" + env.get(name) + "'");
        });
    }

    /** {@code b} with the broker's {@code RELAX_*} variables that are set (docs/operations.md). */
    BrokerOptions.Builder brokerOptions(BrokerOptions.Builder b) {
        BrokerOptions d = BrokerOptions.defaults();
        seconds("RELAX_PING_INTERVAL").ifPresent(b::pingInterval);
        integer("RELAX_MAX_MISSED_PONGS").ifPresent(b::maxMissedPongs);
        b.backoff(
                seconds("RELAX_RECONNECT_BACKOFF").orElse(d.backoffInitial()),
                seconds("RELAX_RECONNECT_BACKOFF_MAX").orElse(d.backoffMax()));
        integer("RELAX_LOGIN_CONCURRENCY").ifPresent(b::loginConcurrency);
        seconds("RELAX_START_JITTER").ifPresent(b::startJitter);
        seconds("RELAX_DEDUPE_TTL").ifPresent(b::dedupeTtl);
        integer("RELAX_BUFFER_SIZE").ifPresent(b::bufferSize);
        text("RELAX_RTM_METHOD").ifPresent(b::rtmMethod);
        choice("RELAX_EVENT_FILTER", "all or mentions_and_dms", Map.of("all", false, "mentions_and_dms", true))
                .ifPresent(b::mentionsAndDmsOnly);
        choice("RELAX_WARMUP", "true or false", Map.of("true", true, "false", false))
                .ifPresent(b::warmup);
        text("RELAX_HTTP_HOST").ifPresent(b::httpHost);
        integer("RELAX_HTTP_MAX_BODY").ifPresent(b::httpMaxBody);
        integer("RELAX_HTTP_MAX_IN_FLIGHT").ifPresent(b::httpMaxInFlight);
        seconds("RELAX_SHUTDOWN_TIMEOUT").ifPresent(b::shutdownTimeout);
        seconds("RELAX_APP_LEASE_TTL").ifPresent(b::appLeaseTtl);
        seconds("RELAX_CALL_INTERVAL").ifPresent(b::callInterval);
        integer("RELAX_CALL_MAX_ATTEMPTS").ifPresent(b::callMaxAttempts);
        seconds("RELAX_CALL_CLAIM_IDLE").ifPresent(b::callClaimIdle);
        choice("RELAX_WEBSOCKET", "auto, jdk, netty or nv", Map.of("auto", AUTO, "jdk", JDK, "netty", NETTY, "nv", NV))
                .ifPresent(b::websocket);
        secondsToTheMicrosecond("RELAX_WRITE_LINGER").ifPresent(b::writeLinger);
        integer("RELAX_CALL_MAX_HELD").ifPresent(b::callMaxHeld);
        integer("RELAX_MANAGEMENT_PORT").ifPresent(b::managementPort);
        seconds("RELAX_TOKEN_REFRESH_MARGIN").ifPresent(b::tokenRefreshMargin);
        seconds("RELAX_TOKEN_REFRESH_INTERVAL").ifPresent(b::tokenRefreshInterval);
        integer("RELAX_RTM_REPLICAS")
                .map(n -> {
                    if (n < 0) {
                        throw RelaxException.badSetting(
                                "RELAX_RTM_REPLICAS", "must be 0 (every broker holds every bot) or more, was " + n);
                    }
                    return n;
                })
                .ifPresent(b::rtmReplicas);
        return b;
    }
}
