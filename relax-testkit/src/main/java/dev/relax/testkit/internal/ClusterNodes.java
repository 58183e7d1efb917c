/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A Redis Cluster of {@value #PRIMARIES} primaries and no replicas on loopback, made of the redis-server
 * binary embedded-redis bundles: each node started with {@code cluster-enabled yes}, given a third of the
 * 16384 slots and its own config epoch, then introduced with {@code CLUSTER MEET}, as {@code redis-cli
 * --cluster create} does (which embedded-redis does not bundle). {@link #start} returns once every node
 * reports {@code cluster_state:ok}.
 *
 * <p>A new primary stays out of service for 2 s after it starts (Redis's {@code CLUSTER_WRITABLE_DELAY}),
 * so a test suite shares one cluster per JVM ({@link #acquireShared}), stopped when the JVM exits.
 */
public final class ClusterNodes implements AutoCloseable {
    public static final int PRIMARIES = 3;
    private static final int SLOTS = 16384;
    /** A node's cluster bus listens on its port plus this. */
    private static final int BUS_OFFSET = 10000;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNodes.class);

    /** The JVM's shared cluster, started on first use. Guarded by the class. */
    private static ClusterNodes shared;
    /** Open handles on {@link #shared}. Guarded by the class. */
    private static int sharedHandles;

    private final String host;
    private final Path dir;
    private final List<Integer> ports = new ArrayList<>();
    private final List<RedisServer> servers = new ArrayList<>();

    private ClusterNodes(String host, Path dir) {
        this.host = host;
        this.dir = dir;
    }

    /** Starts the nodes on free ports of {@code host} and joins them into one cluster. */
    public static ClusterNodes start(String host) {
        ClusterNodes nodes;
        try {
            nodes = new ClusterNodes(host, Files.createTempDirectory("relax-cluster"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the cluster's node files", e);
        }
        try {
            for (int i = 0; i < PRIMARIES; i++) {
                nodes.launch(freePort(host));
            }
            nodes.join();
            return nodes;
        } catch (IOException e) {
            nodes.close();
            throw new UncheckedIOException("cannot start a Redis Cluster on " + host, e);
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    /**
     * The JVM's shared cluster on {@code host}, started on first use and stopped when the JVM exits; each
     * call is one handle, given back with {@link #releaseShared}.
     */
    public static synchronized ClusterNodes acquireShared(String host) {
        if (shared == null) {
            ClusterNodes started = start(host);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(started::close));
            shared = started;
        }
        sharedHandles++;
        return shared;
    }

    /** Gives back a handle of {@link #acquireShared}; true when it was the last one open. */
    public static synchronized boolean releaseShared() {
        sharedHandles = Math.max(0, sharedHandles - 1);
        return sharedHandles == 0;
    }

    /** The nodes' ports, first node first. */
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    private void launch(int port) throws IOException {
        RedisServer server = RedisServer.newRedisServer()
                .bind(host)
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("dir " + dir)
                .setting("cluster-enabled yes")
                .setting("cluster-config-file nodes-" + port + ".conf")
                .setting("cluster-node-timeout 2000")
                .onShutdownForceStop(true)
                .soutListener(line -> LOG.trace("redis:{} {}", port, line))
                .serrListener(line -> LOG.debug("redis:{} {}", port, line))
                .build();
        server.start();
        servers.add(server);
        ports.add(port);
    }

    private void join() {
        RedisClient client = RedisClient.create();
        List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
        try {
            for (int port : ports) {
                connections.add(client.connect(RedisURI.create(host, port)));
            }
            for (int i = 0; i < PRIMARIES; i++) {
                RedisCommands<String, String> node = connections.get(i).sync();
                int from = i * SLOTS / PRIMARIES;
                int to = (i + 1) * SLOTS / PRIMARIES;
                node.clusterAddSlots(IntStream.range(from, to).toArray());
                // Distinct epochs, else the nodes first settle who owns what by epoch collisions.
                node.clusterSetConfigEpoch(i + 1);
            }
            for (int i = 1; i < PRIMARIES; i++) {
                connections.get(0).sync().clusterMeet(host, ports.get(i));
            }
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (!connections.stream().allMatch(ClusterNodes::ready)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the Redis Cluster on " + host + ":" + ports + " was not ready within " + READY_TIMEOUT);
                }
                pause();
            }
            LOG.debug("Redis Cluster listening on {}:{}", host, ports);
        } finally {
            connections.forEach(StatefulRedisConnection::close);
            RedisClients.shutdown(client);
        }
    }

    private static boolean ready(StatefulRedisConnection<String, String> node) {
        String info = node.sync().clusterInfo();
        return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + PRIMARIES);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the Redis Cluster formed", e);
        }
    }

    /** Stops every node and deletes their files. */
    @Override
    public void close() {
        for (RedisServer server : servers) {
            try {
                server.stop();
            } catch (IOException e) {
                LOG.warn("cannot stop a cluster node: {}", e.toString());
            }
        }
        servers.clear();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", dir, e.toString());
        }
        LOG.debug("Redis Cluster on {}:{} stopped", host, ports);
    }

    /** A free port whose cluster bus port is free too. */
    private static int freePort(String host) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                int port = socket.getLocalPort();
                if (port + BUS_OFFSET > 65535) {
                    continue;
                }
                try (ServerSocket bus = new ServerSocket(port + BUS_OFFSET, 1, InetAddress.getByName(host))) {
                    return port;
                } catch (IOException busTaken) {
                    // try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port", e);
            }
        }
        throw new IllegalStateException("no free port below 55536 with a free cluster bus port on " + host);
    }
}
