/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import dev.relax.core.RedisAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The quick start's Redis when {@code REDIS_URL} is unset: the redis-server binary that embedded-redis
 * bundles (6.2 on Linux and macOS), run as a child process on 127.0.0.1 and a free port, with no RDB
 * snapshot and no AOF: it starts empty and keeps nothing. Owned by {@link RelayRuntime}, which closes it
 * last, after the broker and the client that use it. It registers no shutdown hook of its own, so that it
 * cannot stop before them.
 */
final class LocalRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRedis.class);
    private static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 5;

    private final RedisServer server;
    private final int port;

    private LocalRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts redis-server on a free loopback port. */
    static LocalRedis start() {
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = freePort();
            try {
                RedisServer server = RedisServer.newRedisServer()
                        .bind(HOST)
                        .port(port)
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .onShutdownForceStop(false)
                        .soutListener(line -> LOG.trace("redis:{} {}", port, line))
                        .serrListener(line -> LOG.debug("redis:{} {}", port, line))
                        .build();
                server.start();
                return new LocalRedis(server, port);
            } catch (IOException e) {
                // Another process may have taken the port between probing and binding: try another.
                last = e;
            }
        }
        throw new UncheckedIOException(
                "cannot start the embedded redis-server after " + PORT_ATTEMPTS + " attempts", last);
    }

    /** Where the server listens. */
    RedisAddress address() {
        return RedisAddress.of(HOST, port);
    }

    /** Stops the server; what it held is gone. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            LOG.warn("cannot stop the embedded redis-server on {}:{}: {}", HOST, port, e.toString());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for the embedded redis-server", e);
        }
    }
}
