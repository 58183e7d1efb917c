/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
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
 * {@link #close()}) or the application's (left running: whoever creates a client closes it).
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

    private final RedisClient client;
    private final RedisURI uri;
    private final boolean owned;
    /** The resources of a client of our own that made them, shut down after it; else null. */
    private final ClientResources ownResources;

    private RedisConnections(RedisClient client, RedisURI uri, boolean owned, ClientResources ownResources) {
        this.client = client;
        this.uri = uri;
        this.owned = owned;
        this.ownResources = ownResources;
    }

    /**
     * Connections to {@code uri} made by the application's {@code client} if not null, else by a Lettuce
     * client of our own, on the application's {@code resources} if not null.
     */
    public static RedisConnections to(RedisURI uri, RedisClient client, ClientResources resources) {
        if (client != null && resources != null) {
            throw new IllegalStateException(
                    "give redisClient or clientResources, not both: a RedisClient brings its own resources");
        }
        return client != null ? shared(client, uri) : own(uri, resources);
    }

    /** A Lettuce client of our own, on {@code resources} if not null (those stay the application's). */
    public static RedisConnections own(RedisURI uri, ClientResources resources) {
        ClientResources made = resources == null
                ? DefaultClientResources.builder()
                        .reconnectDelay(RECONNECT_DELAY)
                        .build()
                : null;
        RedisClient client = RedisClient.create(resources == null ? made : resources);
        client.setOptions(ClientOptions.builder().autoReconnect(true).build());
        return new RedisConnections(client, uri, true, made);
    }

    /** Connections made by the application's {@code client}, whose options and life stay the application's. */
    public static RedisConnections shared(RedisClient client, RedisURI uri) {
        return new RedisConnections(client, uri, false, null);
    }

    /** The Lettuce client every connection comes from. */
    public RedisClient client() {
        return client;
    }

    public StatefulRedisConnection<String, String> connect() {
        return client.connect(uri);
    }

    /**
     * Two connections, for a client being built. If the second cannot be made, closes the first and this
     * (the client is not built, so nothing else would close them), and throws.
     */
    public List<StatefulRedisConnection<String, String>> connectTwo() {
        StatefulRedisConnection<String, String> first = null;
        try {
            first = connect();
            return List.of(first, connect());
        } catch (RuntimeException e) {
            if (first != null) {
                first.close();
            }
            close();
            throw e;
        }
    }

    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return client.connectPubSub(uri);
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
