/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay scenario's backend: a loopback JDK HTTP server that speaks the relay's backend contract
 * (docs/relay.md) with an SSE answer of a few chunks after a fixed think time, and notes for each question
 * when its request arrived and when the first byte of the answer was flushed. The relay's overhead is what
 * remains of the time to the first chunk in Slack once that backend time is taken out, so the backend
 * times are measured where they happen rather than configured and trusted.
 *
 * <p>The status line, the headers and the first chunk are written one right after the other, after the
 * think time (what a backend that answers once it has something to say does); the first byte's time is
 * taken once the first chunk is flushed, so it errs late by those few microseconds, in the relay's favour.
 */
final class TimedBackend implements AutoCloseable {
    /** When one question reached the backend and when its first byte left. */
    record Timing(Instant received, Instant firstByte) {
        Duration backendTime() {
            return Duration.between(received, firstByte);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Duration think;
    private final Duration gap;
    private final int chunks;
    /** The first request of each question, by {@code <channel> <thread_ts>}; written by the server's threads. */
    private final Map<String, Timing> timings = new ConcurrentHashMap<>();

    private final AtomicInteger requests = new AtomicInteger();

    private TimedBackend(HttpServer server, ExecutorService executor, Duration think, Duration gap, int chunks) {
        this.server = server;
        this.executor = executor;
        this.think = think;
        this.gap = gap;
        this.chunks = chunks;
    }

    /**
     * Starts a backend on a free loopback port that answers each question {@code think} after it arrived
     * with the first of {@code chunks} chunks, the others {@code gap} apart, then {@code done}.
     */
    static TimedBackend start(Duration think, Duration gap, int chunks) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        // One virtual thread per request: a hundred questions think at once without a hundred platform threads.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        TimedBackend backend = new TimedBackend(server, executor, think, gap, chunks);
        server.createContext("/", backend::answer);
        server.start();
        return backend;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The timing of the question asked in {@code channel} whose answer goes in thread {@code threadTs}. */
    Optional<Timing> timing(String channel, String threadTs) {
        return Optional.ofNullable(timings.get(channel + " " + threadTs));
    }

    /** Requests received, retries included. */
    int requests() {
        return requests.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        Instant received = Instant.now();
        requests.incrementAndGet();
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (!exchange.getRequestMethod().equals("POST")
                    || !body.path("channel").isTextual()) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            String key =
                    body.path("channel").asText() + " " + body.path("thread_ts").asText();
            Thread.sleep(think.toMillis());
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0); // chunked; the first chunk follows at once
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < chunks; i++) {
                if (i > 0) {
                    Thread.sleep(gap.toMillis());
                }
                out.write(("data: {\"text\":\"word" + i + " \"}\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (i == 0) {
                    timings.putIfAbsent(key, new Timing(received, Instant.now()));
                }
            }
            out.write("event: done\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
