/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.core.RedisAddress;
import dev.relax.testkit.internal.RedisClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.Redis;
import redis.embedded.RedisSentinel;
import redis.embedded.RedisServer;

/**
 * A throw-away Redis primary, one replica of it and three Sentinels watching them, all on 127.0.0.1 and free
 * ports (the redis-server binary {@link EmbeddedRedis} uses, which is also the Sentinel), for tests of what
 * happens across a failover. The Sentinels call a silent primary down after {@link #DOWN_AFTER} and promote
 * the replica (quorum 2 of 3), so {@link #killPrimary()} is followed by a new primary within a few seconds:
 *
 * <pre>{@code
 * try (EmbeddedSentinel redis = EmbeddedSentinel.start()) {
 *     RelaxConfig config = RelaxConfig.builder().redis(redis.address()).build();  // or REDIS_URL=redis.url()
 *     int old = redis.primaryPort();
 *     redis.killPrimary();                          // SIGKILL: what was not replicated yet is gone
 *     int now = redis.awaitFailover(Duration.ofSeconds(30));   // the Sentinels name the replica
 * }
 * }</pre>
 *
 * {@link #start()} returns once the replica is in sync and every Sentinel knows the replica and the other
 * two Sentinels, so that a failover can start right away. The killed primary stays down. Thread-safe.
 */
public final class EmbeddedSentinel implements AutoCloseable {
    /** The name the Sentinels monitor the primary under: {@code relax}. */
    public static final String PRIMARY_NAME = "relax";
    /** How long a primary may be silent before a Sentinel calls it down: 1 s (Redis's default is 30 s). */
    public static final Duration DOWN_AFTER = Duration.ofSeconds(1);
    /** Sentinels that must agree a primary is down before one of them fails it over. */
    public static final int QUORUM = 2;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSentinel.class);
    private static final String HOST = "127.0.0.1";
    private static final int SENTINELS = 3;
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    /** The primary, then the replica: their ports never change. */
    private final List<Integer> serverPorts;
    /** Guarded by this; an entry is null once that server was killed. */
    private final List<RedisServer> servers = new ArrayList<>();
    /** Guarded by this. */
    private final List<RedisSentinel> sentinels = new ArrayList<>();

    private final List<Integer> sentinelPorts;
    /** Asks the Sentinels (any one of them) and opens {@link #commands()}; guarded by this. */
    private RedisClient client;
    /** Guarded by this; opened on first use. */
    private StatefulRedisConnection<String, String> connection;

    private EmbeddedSentinel(List<Integer> serverPorts, List<Integer> sentinelPorts) {
        this.serverPorts = serverPorts;
        this.sentinelPorts = sentinelPorts;
    }

    /** Starts the primary, its replica and three Sentinels, and returns once a failover could start. */
    public static EmbeddedSentinel start() {
        List<Integer> ports = freePorts(2 + SENTINELS);
        EmbeddedSentinel group =
                new EmbeddedSentinel(List.copyOf(ports.subList(0, 2)), List.copyOf(ports.subList(2, ports.size())));
        try {
            group.launch();
            return group;
        } catch (IOException e) {
            group.close();
            throw new UncheckedIOException("cannot start the Sentinel group", e);
        } catch (RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /** The Sentinels' address, for {@code RelaxConfig.Builder.redis(...)}. */
    public RedisAddress address() {
        return RedisAddress.sentinel(
                sentinelPorts.stream().map(p -> new RedisAddress.Node(HOST, p)).toList(), PRIMARY_NAME);
    }

    /** {@code redis-sentinel://127.0.0.1:<port>,...#relax}, for a broker's {@code REDIS_URL}. */
    public String url() {
        return address().toUrlWithPassword();
    }

    /** The Sentinels' ports. */
    public List<Integer> sentinelPorts() {
        return sentinelPorts;
    }

    /** The port of the primary as the Sentinels name it now. */
    public synchronized int primaryPort() {
        RuntimeException last = null;
        for (int port : sentinelPorts) {
            try (StatefulRedisSentinelConnection<String, String> sentinel =
                    client().connectSentinel(RedisURI.create(HOST, port))) {
                return ((InetSocketAddress) sentinel.sync().getMasterAddrByName(PRIMARY_NAME)).getPort();
            } catch (RuntimeException e) {
                last = e; // that Sentinel may be busy or down: ask the next
            }
        }
        throw new IllegalStateException("no Sentinel answered for " + PRIMARY_NAME, last);
    }

    /** Kills the current primary's process (SIGKILL): no shutdown, and what it did not replicate yet is lost. */
    public synchronized void killPrimary() {
        int port = primaryPort();
        int index = serverPorts.indexOf(port);
        RedisServer server = servers.get(index);
        if (server == null) {
            throw new IllegalStateException("the primary on port " + port + " was killed already");
        }
        try {
            server.stop(); // built with onShutdownForceStop(true): Process.destroyForcibly
        } catch (IOException e) {
            throw new UncheckedIOException("cannot kill redis-server on port " + port, e);
        } finally {
            servers.set(index, null);
        }
        LOG.debug("primary redis-server on port {} killed", port);
    }

    /**
     * Waits until the Sentinels name a live primary other than a killed one and that server answers as a
     * primary, and returns its port; fails after {@code timeout}.
     */
    public int awaitFailover(Duration timeout) {
        int[] found = new int[1];
        waitUntil(timeout, "a new primary", () -> {
            int port = primaryPort();
            synchronized (this) {
                if (servers.get(serverPorts.indexOf(port)) == null) {
                    return false;
                }
            }
            found[0] = port;
            return role(port).equals("master");
        });
        return found[0];
    }

    /**
     * Redis commands on a connection of this fixture's own to the primary, found through the Sentinels (and
     * found again after a failover): for a test to set up and assert. Shared; not for blocking commands.
     */
    public synchronized RedisCommands<String, String> commands() {
        if (connection == null) {
            connection = client().connect(RedisURI.create(url()));
        }
        return connection.sync();
    }

    /** Stops the Sentinels and the servers left. */
    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (client != null) {
            RedisClients.shutdown(client);
            client = null;
        }
        List<Redis> all = new ArrayList<>(sentinels);
        all.addAll(servers);
        for (Redis r : all) {
            if (r != null) {
                try {
                    r.stop();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot stop {}: {}", r.ports(), e.toString());
                }
            }
        }
        sentinels.clear();
        servers.clear();
    }

    private synchronized void launch() throws IOException {
        int primary = serverPorts.get(0);
        servers.add(server(RedisServer.newRedisServer().port(primary)));
        servers.add(server(RedisServer.newRedisServer().port(serverPorts.get(1)).slaveOf(HOST, primary)));
        for (int port : sentinelPorts) {
            RedisSentinel sentinel = RedisSentinel.newRedisSentinel()
                    .bind(HOST)
                    .port(port)
                    .masterName(PRIMARY_NAME)
                    .masterPort(primary)
                    .quorumSize(QUORUM)
                    .downAfterMilliseconds(DOWN_AFTER.toMillis())
                    .failOverTimeout(FAILOVER_TIMEOUT.toMillis())
                    .parallelSyncs(1)
                    .onShutdownForceStop(true)
                    .soutListener(line -> LOG.trace("sentinel:{} {}", port, line))
                    .serrListener(line -> LOG.debug("sentinel:{} {}", port, line))
                    .build();
            sentinel.start();
            sentinels.add(sentinel);
        }
        waitUntil(READY_TIMEOUT, "the replica in sync and the Sentinels aware of each other", this::ready);
        LOG.debug("Sentinels {} watch primary {} and replica {}", sentinelPorts, primary, serverPorts.get(1));
    }

    private static RedisServer server(redis.embedded.core.RedisServerBuilder builder) throws IOException {
        RedisServer server = builder.bind(HOST)
                .setting("save \"\"")
                .setting("appendonly no")
                .onShutdownForceStop(true)
                .build();
        server.start();
        return server;
    }

    /** True once the replica is in sync and each Sentinel sees the replica and two other Sentinels. */
    private boolean ready() {
        if (!info(serverPorts.get(1), "replication").contains("master_link_status:up")) {
            return false;
        }
        for (int port : sentinelPorts) {
            String info = info(port, "sentinel");
            if (!info.contains("name=" + PRIMARY_NAME + ",status=ok,address=" + HOST + ":" + serverPorts.get(0)
                    + ",slaves=1,sentinels=" + SENTINELS)) {
                return false;
            }
        }
        return true;
    }

    private String role(int port) {
        String info = info(port, "replication");
        int at = info.indexOf("role:");
        return at < 0 ? "" : info.substring(at + 5, info.indexOf('\r', at)).trim();
    }

    private synchronized String info(int port, String section) {
        try (StatefulRedisConnection<String, String> c = client().connect(RedisURI.create(HOST, port))) {
            return c.sync().info(section);
        }
    }

    private synchronized RedisClient client() {
        if (client == null) {
            client = RedisClient.create();
        }
        return client;
    }

    private static void waitUntil(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e; // a server or Sentinel between states: ask again
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException("no " + what + " within " + timeout, last);
    }

    private static List<Integer> freePorts(int count) {
        // All held open at once, so that no two are the same.
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports", e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a probe socket
                }
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedSentinel[" + address() + "]";
    }
}
