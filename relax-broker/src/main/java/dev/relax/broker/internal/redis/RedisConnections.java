/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import dev.relax.core.RedisAddress;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's Redis client and its three long-lived connections: events (the event writer's), commands
 * (shared by everything else) and the command subscription. Each connection is opened once, by the
 * startup thread (a failed attempt opens only what is still missing); {@link #close()} closes them and
 * shuts the client down within a bound. The calls stream opens its own connections on {@link #client()}.
 */
public final class RedisConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

    /**
     * Reconnect attempts at most 1 s apart. Lettuce's default backs off to 30 s, so after a Sentinel
     * failover (the old primary unreachable for as long as the Sentinels take to agree: 30 s with their
     * default {@code down-after-milliseconds}) a broker could wait half a minute more before it asks the
     * Sentinels again; a second is cheap against a Redis that is down.
     */
    static final Delay RECONNECT_DELAY =
            Delay.exponential(Duration.ZERO, Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS);

    private final ClientResources resources =
            DefaultClientResources.builder().reconnectDelay(RECONNECT_DELAY).build();
    private final RedisClient client;
    // Written by the startup thread, read by others.
    private volatile StatefulRedisConnection<String, String> events;
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;

    public RedisConnections(RedisAddress address) {
        client = RedisClient.create(resources, address.toClientUrl());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail fast while disconnected: the event writer keeps its own ordered buffer.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                .build());
    }

    public RedisClient client() {
        return client;
    }

    /** Opens the events and the commands connections, those not open yet. */
    public void connect() {
        if (events == null) {
            events = client.connect();
        }
        if (commands == null) {
            commands = client.connect();
        }
    }

    public StatefulRedisConnection<String, String> events() {
        return events;
    }

    public StatefulRedisConnection<String, String> commands() {
        return commands;
    }

    /** Subscribes {@code subscriber} on a connection of its own, unless already done. */
    public void subscribe(CommandSubscriber subscriber) {
        if (pubsub != null) {
            return;
        }
        StatefulRedisPubSubConnection<String, String> p = client.connectPubSub();
        try {
            subscriber.subscribe(p);
        } catch (RuntimeException e) {
            // Else a later attempt would subscribe a second connection and apply every command twice.
            p.close();
            throw e;
        }
        pubsub = p;
    }

    /** True while the subscription's connection is open. */
    public boolean subscriptionOpen() {
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        return p != null && p.isOpen();
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {pubsub, commands, events}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.debug("closing {}: {}", c, e.toString());
                }
            }
        }
        try {
            // Bounded: Lettuce's shutdown(...) waits without a limit for every connection's close, and a
            // connection closed while it reconnects can leave that wait unanswered (seen in a test), which
            // would keep a SIGTERMed broker from ever exiting.
            client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while the Redis client shut down");
        } catch (Exception e) {
            log.warn("Redis client did not shut down cleanly within 10 s: {}", e.toString());
        }
    }
}
