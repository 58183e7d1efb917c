/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for an OpenTelemetry collector on loopback: takes OTLP/HTTP exports on {@code /v1/traces},
 * reads and discards them, answers 200, and counts them. A column with {@code OTEL_TRACES_EXPORTER=otlp} and
 * no endpoint of its own exports here, so that "tracing on" is measured with a real exporter and network
 * path, without a collector's own cost on the machine (docs/performance.md, "Tracing").
 */
final class OtlpSink {
    private static OtlpSink shared;

    private final HttpServer server;
    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    private OtlpSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                bytes.addAndGet(in.transferTo(java.io.OutputStream.nullOutputStream()));
            }
            exports.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The one sink of this run, started on first use. */
    static synchronized OtlpSink shared() {
        if (shared == null) {
            try {
                shared = new OtlpSink();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the OTLP sink on loopback", e);
            }
        }
        return shared;
    }

    /** {@code OTEL_EXPORTER_OTLP_ENDPOINT} for the broker. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** What the sink took so far, for the run's log. */
    static synchronized String summary() {
        return shared == null
                ? ""
                : "OTLP sink: " + shared.exports.get() + " exports, " + shared.bytes.get() / 1024 + " KiB of spans";
    }
}
