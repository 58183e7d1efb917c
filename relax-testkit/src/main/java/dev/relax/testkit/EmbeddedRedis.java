/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.core.RedisAddress;
import dev.relax.testkit.internal.ClusterNodes;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A throw-away Redis server (the redis-server binary embedded-redis bundles for the platform: 6.2.6 on
 * Linux x86-64 and macOS, 6.2.7 on Linux ARM64, 5.0.14 on Windows, which is too old for Relax) on 127.0.0.1
 * and a free port, starting empty every time: no RDB snapshots, no AOF. {@link #stop()} and {@link #restart()}
 * keep the port, so a test can cut Redis off and bring it back where clients expect it:
 *
 * <pre>{@code
 * try (EmbeddedRedis redis = EmbeddedRedis.start()) {
 *     startBroker("REDIS_URL", redis.uri().toString());
 *     redis.stop();      // outage
 *     redis.restart();   // same port, empty data
 *     redis.commands().hset("relax_bots", "T1", registration);   // as the test, straight to the server
 * }
 * }</pre>
 *
 * <p>Or a small Redis Cluster ({@link #startCluster()}: three primaries on loopback, no replicas), which
 * {@link #start()} also gives when the system property {@value #MODE_PROPERTY} is {@code cluster}: the
 * testkit's own suite runs its script-heavy tests that way too. Use {@link #address()} for a
 * configuration, which then needs keys with one hash tag ({@link TestBroker} tags its keys by itself). A
 * cluster cannot {@link #stop()} or {@link #restart()}.
 *
 * Thread-safe.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 5;

    /**
     * The system property that makes {@link #start()} start a cluster ({@code cluster}) rather than one
     * server (unset, or {@code standalone}).
     */
    public static final String MODE_PROPERTY = "relax.test.redis";

    /** The server's port, or the cluster's first node's. */
    private final int port;
    /** The cluster's nodes, or {@code null} for one server. Stopped by {@link #close()} unless shared. */
    private final ClusterNodes cluster;
    /** Whether {@link #cluster} is the JVM's shared one, which {@link #close()} only empties. */
    private final boolean sharedCluster;
    /** The running server, or {@code null} while stopped (or for a cluster). Guarded by {@code this}. */
    private RedisServer server;
    /** The client of {@link #commands()}, created on first use. Guarded by {@code this}. */
    private AbstractRedisClient client;
    /** The connection of {@link #commands()}, opened on first use. Guarded by {@code this}. */
    private StatefulConnection<String, String> connection;
    /** The commands of {@link #connection}. Guarded by {@code this}. */
    private RedisClusterCommands<String, String> commands;
    /** Set by {@link #close()} of a cluster. Guarded by {@code this}. */
    private boolean closed;

    private EmbeddedRedis(int port) {
        this.port = port;
        this.cluster = null;
        this.sharedCluster = false;
    }

    private EmbeddedRedis(ClusterNodes cluster, boolean shared) {
        this.port = cluster.ports().getFirst();
        this.cluster = cluster;
        this.sharedCluster = shared;
    }

    /**
     * Starts a server on a free port; or, when the system property {@value #MODE_PROPERTY} is {@code
     * cluster}, gives a cluster: the one this JVM shares (a new cluster takes over 2 s to serve), emptied
     * when the last handle on it closes, and stopped when the JVM exits.
     */
    public static EmbeddedRedis start() {
        String mode = System.getProperty(MODE_PROPERTY, "standalone");
        if (mode.equals("cluster")) {
            return new EmbeddedRedis(ClusterNodes.acquireShared(HOST), true);
        }
        if (!mode.equals("standalone")) {
            throw new IllegalArgumentException(MODE_PROPERTY + " must be standalone or cluster, was " + mode);
        }
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            EmbeddedRedis redis = new EmbeddedRedis(freePort());
            try {
                redis.launch();
                return redis;
            } catch (IOException e) {
                // Another process may have taken the port between probing and binding: try another.
                last = e;
            }
        }
        throw new UncheckedIOException("cannot start redis-server after " + PORT_ATTEMPTS + " attempts", last);
    }

    /** Starts a Redis Cluster of three primaries (no replicas) on free ports of 127.0.0.1. */
    public static EmbeddedRedis startCluster() {
        return new EmbeddedRedis(ClusterNodes.start(HOST), false);
    }

    /** Starts a server on {@code port}. */
    public static EmbeddedRedis start(int port) {
        EmbeddedRedis redis = new EmbeddedRedis(port);
        try {
            redis.launch();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server on port " + port, e);
        }
        return redis;
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** The port, the same across {@link #stop()} and {@link #restart()}; a cluster's first node's. */
    public int port() {
        return port;
    }

    /**
     * {@code redis://127.0.0.1:<port>}, for {@code REDIS_URL}; for a cluster, its nodes separated by commas
     * (which {@code REDIS_URL} reads as a cluster's seed nodes).
     */
    public URI uri() {
        if (cluster == null) {
            return URI.create("redis://" + HOST + ":" + port);
        }
        return URI.create("redis://"
                + String.join(
                        ",", cluster.ports().stream().map(p -> HOST + ":" + p).toList()));
    }

    /** True for a cluster ({@link #startCluster()}). */
    public boolean isCluster() {
        return cluster != null;
    }

    /** The address for a {@code RelaxConfig}: the server, or the cluster's nodes as its seed nodes. */
    public RedisAddress address() {
        if (cluster == null) {
            return RedisAddress.of(HOST, port);
        }
        List<RedisAddress.Node> nodes = cluster.ports().stream()
                .map(p -> new RedisAddress.Node(HOST, p))
                .toList();
        return RedisAddress.cluster(nodes);
    }

    /**
     * {@code name} as a key prefix for a configuration on this Redis ({@code keysWithPrefix}): as it is, or
     * on a cluster as a hash tag, {@code {name}}, so that every key the configuration derives shares one
     * slot, as a cluster requires.
     */
    public String keyPrefix(String name) {
        return cluster == null ? name : "{" + name + "}";
    }

    /** True between a start or {@link #restart()} and the next {@link #stop()}; for a cluster, until closed. */
    public synchronized boolean isRunning() {
        return cluster != null ? !closed : server != null && server.isActive();
    }

    /**
     * Redis commands on a connection of this fixture's own, straight to the server (never through a {@link
     * TcpProxy}): for a test to set up what is stored, play an app, and assert. Opened on first use, shared
     * by every caller, closed by {@link #close()}; after {@link #restart()} it reconnects by itself. Being
     * shared, it is not for commands that block it or change its state (BLPOP, MULTI/EXEC, SUBSCRIBE,
     * SELECT): open a client of your own for those. For a cluster, a cluster connection, which routes each
     * command by its key (and has no MULTI/EXEC).
     */
    public synchronized RedisClusterCommands<String, String> commands() {
        if (connection == null) {
            if (cluster == null) {
                RedisClient created = RedisClient.create(RedisURI.create(HOST, port));
                try {
                    StatefulRedisConnection<String, String> c = created.connect();
                    connection = c;
                    commands = c.sync();
                } catch (RuntimeException e) {
                    dev.relax.testkit.internal.RedisClients.shutdown(created);
                    throw e;
                }
                client = created;
            } else {
                RedisClusterClient created = RedisClusterClient.create(cluster.ports().stream()
                        .map(p -> RedisURI.create(HOST, p))
                        .toList());
                try {
                    StatefulRedisClusterConnection<String, String> c = created.connect();
                    connection = c;
                    commands = c.sync();
                } catch (RuntimeException e) {
                    dev.relax.testkit.internal.RedisClients.shutdown(created);
                    throw e;
                }
                client = created;
            }
        }
        return commands;
    }

    /** Kills the server process (its data is gone); the port stays reserved for {@link #restart()}. */
    public synchronized void stop() {
        requireServer("stop()");
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop redis-server on port " + port, e);
        } finally {
            server = null;
        }
        LOG.debug("redis-server on port {} stopped", port);
    }

    /** Starts the server again on the same port, empty; stops it first if it is running. */
    public synchronized void restart() {
        requireServer("restart()");
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart redis-server on port " + port, e);
        }
    }

    /**
     * Closes the connection of {@link #commands()}, if one was opened, and stops the server (or the
     * cluster; the shared cluster of {@link #start()} is emptied instead, once no test holds it).
     */
    @Override
    public synchronized void close() {
        if (sharedCluster && !closed && ClusterNodes.releaseShared()) {
            commands().flushall();
        }
        try {
            if (connection != null) {
                connection.close();
                dev.relax.testkit.internal.RedisClients.shutdown(client);
            }
        } finally {
            connection = null;
            commands = null;
            client = null;
            if (cluster != null) {
                closed = true;
                if (!sharedCluster) {
                    cluster.close();
                }
            } else {
                stop();
            }
        }
    }

    private void requireServer(String what) {
        if (cluster != null) {
            throw new UnsupportedOperationException(what + " is for one server, not a cluster: " + this);
        }
    }

    private synchronized void launch() throws IOException {
        RedisServer candidate = RedisServer.newRedisServer()
                .bind(HOST)
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .onShutdownForceStop(true)
                .soutListener(line -> LOG.trace("redis:{} {}", port, line))
                .serrListener(line -> LOG.debug("redis:{} {}", port, line))
                .build();
        candidate.start();
        server = candidate;
        LOG.debug("redis-server listening on {}", uri());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRedis[" + uri() + "]";
    }
}
