/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.Map;
import java.util.Objects;

/**
 * One Lettuce connection to a single Redis (standalone or the Sentinels' primary) or to a Redis Cluster,
 * seen through the commands both kinds share ({@link RedisClusterCommands}: every command Relax runs, but
 * no MULTI/EXEC). On a cluster Lettuce routes each command to the node that serves its key's slot; Relax
 * keys share one hash tag, so a script's keys are always on one node.
 */
public final class RedisConnection implements AutoCloseable {
    private final StatefulConnection<String, String> connection;
    /** The same connection when it is a cluster's, else null. */
    private final StatefulRedisClusterConnection<String, String> cluster;

    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;

    private RedisConnection(
            StatefulConnection<String, String> connection,
            StatefulRedisClusterConnection<String, String> cluster,
            RedisClusterCommands<String, String> sync,
            RedisClusterAsyncCommands<String, String> async) {
        this.connection = connection;
        this.cluster = cluster;
        this.sync = sync;
        this.async = async;
    }

    /** A connection to one server. */
    public static RedisConnection of(StatefulRedisConnection<String, String> connection) {
        Objects.requireNonNull(connection, "connection");
        return new RedisConnection(connection, null, connection.sync(), connection.async());
    }

    /** A connection to a cluster, which routes each command by its key. */
    public static RedisConnection of(StatefulRedisClusterConnection<String, String> connection) {
        Objects.requireNonNull(connection, "connection");
        return new RedisConnection(connection, connection, connection.sync(), connection.async());
    }

    /**
     * PUBLISH, answering how many subscribers {@code channel} has. A cluster delivers a message to the
     * subscribers of every node, but its PUBLISH counts only those of the node that ran it: when that is
     * none, the count is the sum of {@code PUBSUB NUMSUB} over the nodes.
     */
    public long publish(String channel, String message) {
        Long receivers = sync.publish(channel, message);
        long n = receivers == null ? 0 : receivers;
        if (n > 0 || cluster == null) {
            return n;
        }
        for (Map<String, Long> numsub : cluster.sync().all().commands().pubsubNumsub(channel)) {
            n += numsub.getOrDefault(channel, 0L);
        }
        return n;
    }

    /** Blocking commands. */
    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    /** Commands that return futures, completed on Lettuce's threads. */
    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
