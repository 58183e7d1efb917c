/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback backend whose answers the test writes byte for byte, for what {@code SampleBackend} does
 * not do (a JSON answer to a client that accepts streams, an error event, a wrong content type, a stall
 * after a chunk). {@link #close()} releases handlers waiting in {@link #stall()}.
 */
final class ScriptedBackend implements AutoCloseable {
    /** What the test does with one exchange; {@code call} counts from 1. */
    @FunctionalInterface
    interface Script {
        void answer(HttpExchange exchange, int call) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();

    ScriptedBackend(Script script) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.setAttribute(ScriptedBackend.class.getName(), this);
                exchange.getRequestBody().readAllBytes();
                script.answer(exchange, calls.incrementAndGet());
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ask");
    }

    int calls() {
        return calls.get();
    }

    /** Blocks the handler until the backend closes. */
    void stall() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The backend answering {@code exchange}: for a script to {@link #stall()} on. */
    static ScriptedBackend of(HttpExchange exchange) {
        return (ScriptedBackend) exchange.getAttribute(ScriptedBackend.class.getName());
    }

    /** Writes one SSE chunk, {@code data: {"text":"<text>"}}; {@code text} must need no JSON escaping. */
    static void chunk(HttpExchange exchange, String text) throws IOException {
        write(exchange, "data: {\"text\":\"" + text + "\"}\n\n");
    }

    /** Writes the SSE event that ends an answer. */
    static void done(HttpExchange exchange) throws IOException {
        write(exchange, "event: done\ndata: {}\n\n");
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Starts a stream: 200, {@code text/event-stream}, chunked. */
    static void startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
    }

    static void write(HttpExchange exchange, String text) throws IOException {
        exchange.getResponseBody().write(text.getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
