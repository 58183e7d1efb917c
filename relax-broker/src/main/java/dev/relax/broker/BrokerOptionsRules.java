/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker;

import dev.relax.core.RelaxException;
import java.time.Duration;
import java.util.Objects;

/** What each {@link BrokerOptions} value must be; {@link BrokerOptions.Builder#build()} checks them all. */
final class BrokerOptionsRules {
    private BrokerOptionsRules() {}

    /** {@code o}, or a {@link RelaxException} naming its first bad value and why. */
    static BrokerOptions check(BrokerOptions o) {
        positive(o.pingInterval(), "pingInterval");
        atLeast(o.maxMissedPongs(), 1, "maxMissedPongs");
        require(
                o.backoffInitial() != null
                        && o.backoffMax() != null
                        && o.backoffInitial().toMillis() > 0
                        && o.backoffMax().compareTo(o.backoffInitial()) >= 0,
                "backoff",
                "needs 0 < initial <= max (a zero back-off would retry Slack in a hot loop), was " + o.backoffInitial()
                        + " and " + o.backoffMax());
        atLeast(o.loginConcurrency(), 1, "loginConcurrency");
        require(o.startJitter() != null && !o.startJitter().isNegative(), "startJitter", "must not be negative");
        atLeast(o.dedupeTtl(), Duration.ofSeconds(1), "dedupeTtl", "1 s");
        atLeast(o.bufferSize(), 1, "bufferSize");
        atLeast(o.batchSize(), 1, "batchSize");
        require(
                "rtm.connect".equals(o.rtmMethod()) || "rtm.start".equals(o.rtmMethod()),
                "rtmMethod",
                "must be rtm.connect or rtm.start, was '" + o.rtmMethod() + "'");
        Objects.requireNonNull(o.httpHost(), "httpHost");
        require(
                o.httpMaxBody() >= BrokerOptions.MIN_HTTP_MAX_BODY
                        && o.httpMaxBody() <= BrokerOptions.MAX_HTTP_MAX_BODY,
                "httpMaxBody",
                "must be between " + BrokerOptions.MIN_HTTP_MAX_BODY + " and " + BrokerOptions.MAX_HTTP_MAX_BODY
                        + " bytes, was " + o.httpMaxBody());
        atLeast(o.httpMaxInFlight(), 1, "httpMaxInFlight");
        Objects.requireNonNull(o.shutdownTimeout(), "shutdownTimeout");
        atLeast(o.appLeaseTtl(), Duration.ofMillis(500), "appLeaseTtl", "0.5 s");
        atLeast(o.rtmReplicas(), 0, "rtmReplicas");
        atLeast(o.callInterval(), Duration.ofMillis(1), "callInterval", "1 ms");
        atLeast(o.callMaxAttempts(), 1, "callMaxAttempts");
        atLeast(
                o.callClaimIdle(),
                Duration.ofMillis(300),
                "callClaimIdle",
                "300 ms (brokers refresh their claims three times per period)");
        Objects.requireNonNull(o.websocket(), "websocket");
        require(
                o.writeLinger() != null
                        && !o.writeLinger().isNegative()
                        && o.writeLinger().toMillis() <= 100,
                "writeLinger",
                "must be between 0 and 0.1 s, was " + o.writeLinger());
        atLeast(o.callMaxHeld(), 1, "callMaxHeld");
        require(
                o.managementPort() == BrokerOptions.NO_MANAGEMENT_PORT
                        || o.managementPort() >= 0 && o.managementPort() <= 65535,
                "managementPort",
                "must be a port (0 for any free one), or unset, was " + o.managementPort());
        require(
                o.tokenRefreshMargin() != null && !o.tokenRefreshMargin().isNegative(),
                "tokenRefreshMargin",
                "must be 0 or more, was " + o.tokenRefreshMargin());
        atLeast(o.tokenRefreshInterval(), Duration.ofMillis(100), "tokenRefreshInterval", "0.1 s");
        return o;
    }

    private static void atLeast(int value, int min, String name) {
        require(value >= min, name, "must be at least " + min + ", was " + value);
    }

    private static void atLeast(Duration value, Duration min, String name, String minText) {
        require(value != null && value.compareTo(min) >= 0, name, "must be at least " + minText + ", was " + value);
    }

    private static void positive(Duration d, String name) {
        require(d != null && d.isPositive(), name, "must be positive, was " + d);
    }

    private static void require(boolean ok, String name, String problem) {
        if (!ok) {
            throw RelaxException.badSetting(name, problem);
        }
    }
}
