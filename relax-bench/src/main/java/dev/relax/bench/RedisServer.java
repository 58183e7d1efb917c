/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import dev.relax.testkit.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The Redis the harness measures against: a {@code redis-server} process of the machine (persistence off,
 * loopback only) when one is on the PATH, else the testkit's embedded one (whose process id is unknown,
 * so its CPU is not reported).
 */
final class RedisServer implements AutoCloseable {
    private final Process process;
    private final EmbeddedRedis embedded;
    private final int port;
    private final String description;

    private RedisServer(Process process, EmbeddedRedis embedded, int port, String description) {
        this.process = process;
        this.embedded = embedded;
        this.port = port;
        this.description = description;
    }

    static RedisServer start() throws IOException, InterruptedException {
        Optional<Path> binary = onPath("redis-server");
        if (binary.isEmpty()) {
            EmbeddedRedis redis = EmbeddedRedis.start();
            return new RedisServer(null, redis, redis.port(), "embedded-redis (no redis-server on PATH)");
        }
        int port = freePort();
        Process p = new ProcessBuilder(
                        binary.get().toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--daemonize",
                        "no",
                        "--loglevel",
                        "warning")
                .redirectErrorStream(true)
                .redirectOutput(
                        Files.createTempFile("relax-bench-redis", ".log").toFile())
                .start();
        RedisServer server = new RedisServer(p, null, port, version(binary.get()));
        try {
            server.awaitPing(Duration.ofSeconds(10));
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    int port() {
        return port;
    }

    /** E.g. {@code redis-server 7.0.15}. */
    String description() {
        return description;
    }

    OptionalLong pid() {
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    /**
     * {@code redis-benchmark -t rpush -P 1 -n requests -q --csv} against this server: RPUSH requests per
     * second with redis-benchmark's 50 clients and no pipelining, or empty when redis-benchmark is missing.
     */
    Optional<Double> rpushRate(int requests) throws IOException, InterruptedException {
        Optional<Path> tool = onPath("redis-benchmark");
        if (tool.isEmpty()) {
            return Optional.empty();
        }
        Process p = new ProcessBuilder(
                        tool.get().toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-t",
                        "rpush",
                        "-P",
                        "1",
                        "-n",
                        Integer.toString(requests),
                        "-q",
                        "--csv")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(5, TimeUnit.MINUTES);
        // "test","rps",...  then  "RPUSH","74074.07",...
        for (String line : out.lines().toList()) {
            if (line.startsWith("\"RPUSH\"")) {
                String[] cells = line.split(",");
                return Optional.of(Double.parseDouble(cells[1].replace("\"", "")));
            }
        }
        throw new IOException("redis-benchmark printed no RPUSH line: " + out);
    }

    /** Empties every key between scenarios. */
    void flush() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        try (var c = client.connect()) {
            c.sync().flushall();
        } finally {
            client.shutdown();
        }
    }

    private void awaitPing(Duration deadline) throws InterruptedException, IOException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
            try (var c = client.connect()) {
                if ("PONG".equals(c.sync().ping())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(50);
            } finally {
                client.shutdown();
            }
        }
        throw new IOException("redis-server did not answer PING on port " + port + " within " + deadline);
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String version(Path binary) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(binary.toString(), "--version"))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(10, TimeUnit.SECONDS);
        int v = out.indexOf("v=");
        return "redis-server " + (v < 0 ? out : out.substring(v + 2, out.indexOf(' ', v)));
    }
}
