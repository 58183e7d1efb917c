/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The broker's HTTP endpoints: {@code GET /} answers {@code relax alive} as the Go broker does,
 * {@code GET /ready} 200 or 503 with a JSON summary, {@code GET /metrics} the Prometheus text format;
 * more (such as Slack's request URLs, {@link SlackEventsHandler}) through {@link #route}.
 */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    public HealthServer(String host, int port, BooleanSupplier ready, Supplier<String> readyJson, BrokerMetrics metrics)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 64);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/" -> respond(exchange, 200, "text/plain; charset=utf-8", "relax alive");
                case "/ready" ->
                    respond(exchange, ready.getAsBoolean() ? 200 : 503, "application/json", readyJson.get());
                case "/metrics" -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
                // The path came from outside: escaped, as in log lines.
                default -> respond(exchange, 404, "text/plain; charset=utf-8", "not found: " + LogText.escape(path));
            }
        });
    }

    /** Serves {@code path} (and everything below it) with {@code handler}; call before {@link #start()}. */
    public void route(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
