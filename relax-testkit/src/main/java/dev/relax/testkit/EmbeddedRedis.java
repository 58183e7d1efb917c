/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
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
 * Thread-safe.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 5;

    private final int port;
    /** The running server, or {@code null} while stopped. Guarded by {@code this}. */
    private RedisServer server;
    /** The client of {@link #commands()}, created on first use. Guarded by {@code this}. */
    private RedisClient client;
    /** The connection of {@link #commands()}, opened on first use. Guarded by {@code this}. */
    private StatefulRedisConnection<String, String> connection;

    private EmbeddedRedis(int port) {
        this.port = port;
    }

    /** Starts a server on a free port. */
    public static EmbeddedRedis start() {
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

    /** The port, the same across {@link #stop()} and {@link #restart()}. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, for {@code REDIS_URL}. */
    public URI uri() {
        return URI.create("redis://" + HOST + ":" + port);
    }

    /** True between a start or {@link #restart()} and the next {@link #stop()}. */
    public synchronized boolean isRunning() {
        return server != null && server.isActive();
    }

    /**
     * Redis commands on a connection of this fixture's own, straight to the server (never through a {@link
     * TcpProxy}): for a test to set up what is stored, play an app, and assert. Opened on first use, shared
     * by every caller, closed by {@link #close()}; after {@link #restart()} it reconnects by itself. Being
     * shared, it is not for commands that block it or change its state (BLPOP, MULTI/EXEC, SUBSCRIBE,
     * SELECT): open a client of your own for those.
     */
    public synchronized RedisCommands<String, String> commands() {
        if (connection == null) {
            RedisClient created = RedisClient.create(RedisURI.create(HOST, port));
            try {
                connection = created.connect();
            } catch (RuntimeException e) {
                dev.relax.testkit.internal.RedisClients.shutdown(created);
                throw e;
            }
            client = created;
        }
        return connection.sync();
    }

    /** Kills the server process (its data is gone); the port stays reserved for {@link #restart()}. */
    public synchronized void stop() {
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
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart redis-server on port " + port, e);
        }
    }

    /** Closes the connection of {@link #commands()}, if one was opened, and stops the server. */
    @Override
    public synchronized void close() {
        try {
            if (connection != null) {
                connection.close();
                dev.relax.testkit.internal.RedisClients.shutdown(client);
            }
        } finally {
            connection = null;
            client = null;
            stop();
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
