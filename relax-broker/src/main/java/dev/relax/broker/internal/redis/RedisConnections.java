/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import dev.relax.core.RedisAddress;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's Redis client and its three long-lived connections: events (the event writer's), commands
 * (shared by everything else) and the command subscription. Each connection is opened once, by the
 * startup thread (a failed attempt opens only what is still missing); {@link #close()} closes them and
 * shuts the client down within a bound. The calls stream opens its own connections with {@link
 * #openConnection()}.
 *
 * <p>The client is a Lettuce {@link RedisClient} for one server or a Sentinel-watched primary, or a {@link
 * RedisClusterClient} for a Redis Cluster (which follows the cluster's topology: a failover, a moved slot).
 * Either way the connections are {@link RedisConnection}s, and the subscription is classic pub/sub, which a
 * cluster delivers from whichever node a message is published on.
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
    /** A {@link RedisClient} or a {@link RedisClusterClient}. */
    private final AbstractRedisClient client;
    // Written by the startup thread, read by others.
    private volatile RedisConnection events;
    private volatile RedisConnection commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;

    public RedisConnections(RedisAddress address) {
        if (address.mode() == RedisAddress.Mode.CLUSTER) {
            List<RedisURI> seeds =
                    address.toClusterSeedUrls().stream().map(RedisURI::create).toList();
            RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
            cluster.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                    // Learn a failover from the MOVED and ASK answers and the lost connections, not a minute later.
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .build())
                    .build());
            client = cluster;
        } else {
            RedisClient single = RedisClient.create(resources, address.toClientUrl());
            single.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    // Fail fast while disconnected: the event writer keeps its own ordered buffer.
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                    .build());
            client = single;
        }
    }

    /** The Lettuce client the connections come from: a {@link RedisClient} or a {@link RedisClusterClient}. */
    public AbstractRedisClient client() {
        return client;
    }

    /** A new connection, which the caller closes (the calls stream's). */
    public RedisConnection openConnection() {
        return client instanceof RedisClusterClient cluster
                ? RedisConnection.of(cluster.connect())
                : RedisConnection.of(((RedisClient) client).connect());
    }

    /** Opens the events and the commands connections, those not open yet. */
    public void connect() {
        if (events == null) {
            events = openConnection();
        }
        if (commands == null) {
            commands = openConnection();
        }
    }

    public RedisConnection events() {
        return events;
    }

    public RedisConnection commands() {
        return commands;
    }

    /** Subscribes {@code subscriber} on a connection of its own, unless already done. */
    public void subscribe(CommandSubscriber subscriber) {
        if (pubsub != null) {
            return;
        }
        StatefulRedisPubSubConnection<String, String> p = client instanceof RedisClusterClient cluster
                ? cluster.connectPubSub()
                : ((RedisClient) client).connectPubSub();
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
