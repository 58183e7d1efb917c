/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.redis.Leases;
import dev.relax.broker.internal.slack.Backoff;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.broker.internal.slack.SocketResources;
import dev.relax.broker.internal.slack.WebSocketTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * What the Socket Mode side of a broker shares. The broker creates and closes each of these.
 *
 * @param appsKey the apps hash; lease and registry keys are derived from it
 * @param leaseTtl how long a connection lease outlives its broker
 * @param pingInterval how often an open socket is pinged
 * @param maxMissedPongs intervals of silence after which a socket counts as dead
 * @param ticker {@link System#nanoTime()} in production: lease validity and socket silence
 */
public record AppContext(
        String appsKey,
        SlackWebApi api,
        WebSocketTransport transport,
        AppEventTranslator translator,
        AppDirectory directory,
        EventWriter events,
        Leases leases,
        ScheduledExecutorService timers,
        ExecutorService workers,
        BrokerMetrics metrics,
        ObjectMapper json,
        Clock clock,
        Duration leaseTtl,
        Duration pingInterval,
        int maxMissedPongs,
        Backoff backoff,
        LongSupplier ticker) {

    /** What the apps' sockets share. */
    SocketResources sockets() {
        return new SocketResources(transport, timers, workers, json, metrics, ticker);
    }

    /** The lease of connection {@code slot} of {@code appId}. */
    String leaseKey(String appId, int slot) {
        return appsKey + ":lease:" + appId + ":" + slot;
    }

    /**
     * How long before its lease could lapse a connection is closed: a quarter of the TTL. The lease of a
     * renewal (or {@code SET NX PX}) sent at {@code t} that Redis granted lasts until at least {@code t +
     * TTL}, however long the answer took; the margin covers the watchdog's period and the close frame.
     */
    Duration leaseSafetyMargin() {
        return leaseTtl.dividedBy(4);
    }

    /** The sorted set of live brokers that hold Socket Mode connections. */
    String brokersKey() {
        return appsKey + ":brokers";
    }
}
