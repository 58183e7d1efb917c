/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.Objects;

/**
 * One Lettuce connection to a single Redis (standalone or the Sentinels' primary) or to a Redis Cluster,
 * seen through the commands both kinds share ({@link RedisClusterCommands}: every command Relax runs, but
 * no MULTI/EXEC). On a cluster Lettuce routes each command to the node that serves its key's slot; Relax
 * keys share one hash tag, so a script's keys are always on one node.
 */
public final class RedisConnection implements AutoCloseable {
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;

    private RedisConnection(
            StatefulConnection<String, String> connection,
            RedisClusterCommands<String, String> sync,
            RedisClusterAsyncCommands<String, String> async) {
        this.connection = connection;
        this.sync = sync;
        this.async = async;
    }

    /** A connection to one server. */
    public static RedisConnection of(StatefulRedisConnection<String, String> connection) {
        Objects.requireNonNull(connection, "connection");
        return new RedisConnection(connection, connection.sync(), connection.async());
    }

    /** A connection to a cluster, which routes each command by its key. */
    public static RedisConnection of(StatefulRedisClusterConnection<String, String> connection) {
        Objects.requireNonNull(connection, "connection");
        return new RedisConnection(connection, connection.sync(), connection.async());
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
