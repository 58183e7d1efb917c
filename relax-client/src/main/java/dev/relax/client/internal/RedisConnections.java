/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.core.RedisAddress;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@code RelaxClient} and its consumers get their Redis connections: every connection goes to one
 * {@link RedisURI}, made by a Lettuce {@link RedisClient} that is either the client's own (shut down by
 * {@link #close()}) or the application's (left running: whoever creates a client closes it); or, for a
 * Redis Cluster, to the cluster through a {@link RedisClusterClient} of the client's own, which routes each
 * command by its key and follows the cluster's topology.
 */
public final class RedisConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

    /**
     * Reconnect attempts of a client of our own at most 1 s apart: Lettuce's default backs off to 30 s, so
     * after a Sentinel failover, which leaves Redis unreachable for as long as the Sentinels take to agree,
     * consumers could wait half a minute more before they ask the Sentinels for the new primary.
     */
    static final Delay RECONNECT_DELAY =
            Delay.exponential(Duration.ZERO, Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS);

    /** A {@link RedisClient} (with {@link #uri}) or a {@link RedisClusterClient} (and no uri). */
    private final AbstractRedisClient client;

    private final RedisURI uri;
    private final boolean owned;
    /** The resources of a client of our own that made them, shut down after it; else null. */
    private final ClientResources ownResources;

    private RedisConnections(AbstractRedisClient client, RedisURI uri, boolean owned, ClientResources ownResources) {
        this.client = client;
        this.uri = uri;
        this.owned = owned;
        this.ownResources = ownResources;
    }

    /**
     * Connections to {@code address} made by the application's {@code client} if not null, else by a
     * Lettuce client of our own, on the application's {@code resources} if not null.
     */
    public static RedisConnections to(RedisAddress address, RedisClient client, ClientResources resources) {
        if (client != null && resources != null) {
            throw new IllegalStateException(
                    "give redisClient or clientResources, not both: a RedisClient brings its own resources");
        }
        if (address.mode() == RedisAddress.Mode.CLUSTER) {
            if (client != null) {
                throw new IllegalStateException("redisClient connects to one server or a Sentinel primary, but the"
                        + " configuration names a Redis Cluster (" + address + "): leave redisClient unset (give"
                        + " clientResources to share event loops)");
            }
            return cluster(address, resources);
        }
        RedisURI uri = RedisURI.create(address.toClientUrl());
        return client != null ? shared(client, uri) : own(uri, resources);
    }

    /** A Lettuce cluster client of our own for the cluster at {@code address}, on {@code resources} if not null. */
    public static RedisConnections cluster(RedisAddress address, ClientResources resources) {
        List<RedisURI> seeds =
                address.toClusterSeedUrls().stream().map(RedisURI::create).toList();
        ClientResources made = resources == null ? ownResources() : null;
        RedisClusterClient client = RedisClusterClient.create(resources == null ? made : resources, seeds);
        client.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                // Follow a failover from the MOVED answers and lost connections, not only every 30 s.
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build())
                .build());
        return new RedisConnections(client, null, true, made);
    }

    /** A Lettuce client of our own, on {@code resources} if not null (those stay the application's). */
    public static RedisConnections own(RedisURI uri, ClientResources resources) {
        ClientResources made = resources == null ? ownResources() : null;
        RedisClient client = RedisClient.create(resources == null ? made : resources);
        client.setOptions(ClientOptions.builder().autoReconnect(true).build());
        return new RedisConnections(client, uri, true, made);
    }

    private static ClientResources ownResources() {
        return DefaultClientResources.builder().reconnectDelay(RECONNECT_DELAY).build();
    }

    /** Connections made by the application's {@code client}, whose options and life stay the application's. */
    public static RedisConnections shared(RedisClient client, RedisURI uri) {
        return new RedisConnections(client, uri, false, null);
    }

    /** The Lettuce client every connection comes from: a {@link RedisClient} or a {@link RedisClusterClient}. */
    public AbstractRedisClient client() {
        return client;
    }

    /** A new connection, which the caller closes. */
    public RedisConnection connect() {
        return client instanceof RedisClusterClient cluster
                ? RedisConnection.of(cluster.connect())
                : RedisConnection.of(((RedisClient) client).connect(uri));
    }

    /**
     * The client's first connection, for a client being built. If it cannot be made, closes this (the
     * client is not built, so nothing else would close it), and throws.
     */
    public RedisConnection connectFirst() {
        try {
            return connect();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A new pub/sub connection; on a cluster, messages published on any node reach it. */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return client instanceof RedisClusterClient cluster
                ? cluster.connectPubSub()
                : ((RedisClient) client).connectPubSub(uri);
    }

    /** Shuts the Lettuce client down if it is ours; the connections made from it must be closed first. */
    @Override
    public void close() {
        if (!owned) {
            return;
        }
        // Bounded: Lettuce's shutdown(...) waits without a limit for every connection's close, which a
        // connection closed while it reconnects can leave unanswered.
        try {
            client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
            if (ownResources != null) {
                ownResources.shutdown(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("the Redis client did not shut down within 5 s: {}", e.toString());
        }
    }
}
