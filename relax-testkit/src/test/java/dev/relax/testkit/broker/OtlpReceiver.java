/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in OpenTelemetry collector: an OTLP/HTTP receiver on loopback that answers every POST to
 * {@code /v1/traces} with 200 and keeps each request, decoded as far as a test needs (the resource's
 * {@code service.name}, the span names and trace ids), with a protobuf reader of a few lines instead of the OTLP
 * classes (https://github.com/open-telemetry/opentelemetry-proto, trace_service.proto and trace.proto).
 */
final class OtlpReceiver implements AutoCloseable {
    /** One export request: its headers of interest and what its body says. */
    record Export(String contentType, String apiKey, List<String> serviceNames, List<Span> spans) {
        List<String> spanNames() {
            return spans.stream().map(Span::name).toList();
        }
    }

    /** A span's name and its trace id in hex, as in a {@code traceparent}. */
    record Span(String name, String traceId) {}

    /** The header a test sets through {@code OTEL_EXPORTER_OTLP_HEADERS}. */
    static final String API_KEY_HEADER = "x-api-key";

    private final HttpServer server;
    private final List<Export> exports = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exports.add(new Export(
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst(API_KEY_HEADER),
                    serviceNames(body),
                    spans(body)));
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse: all accepted
            exchange.close();
        });
        server.start();
    }

    /** {@code OTEL_EXPORTER_OTLP_ENDPOINT}: the base, to which the exporter adds {@code /v1/traces}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The export requests received so far, in order. */
    List<Export> exports() {
        return List.copyOf(exports);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** ExportTraceServiceRequest: resource_spans (1) -> resource (1) -> attributes (1), key "service.name". */
    static List<String> serviceNames(byte[] request) {
        List<String> names = new ArrayList<>();
        for (ByteBuffer resourceSpans : fields(ByteBuffer.wrap(request), 1)) {
            for (ByteBuffer resource : fields(resourceSpans, 1)) {
                for (ByteBuffer keyValue : fields(resource, 1)) {
                    List<ByteBuffer> key = fields(keyValue.duplicate(), 1);
                    if (!key.isEmpty() && text(key.get(0)).equals("service.name")) {
                        // value (2): AnyValue, string_value (1)
                        for (ByteBuffer value : fields(keyValue, 2)) {
                            fields(value, 1).forEach(s -> names.add(text(s)));
                        }
                    }
                }
            }
        }
        return names;
    }

    /** resource_spans (1) -> scope_spans (2) -> spans (2) -> trace_id (1, bytes) and name (5). */
    static List<Span> spans(byte[] request) {
        List<Span> spans = new ArrayList<>();
        for (ByteBuffer resourceSpans : fields(ByteBuffer.wrap(request), 1)) {
            for (ByteBuffer scopeSpans : fields(resourceSpans, 2)) {
                for (ByteBuffer span : fields(scopeSpans, 2)) {
                    spans.add(new Span(
                            text(fields(span, 5).get(0)),
                            HexFormat.of().formatHex(bytes(fields(span, 1).get(0)))));
                }
            }
        }
        return spans;
    }

    /**
     * The length-delimited fields numbered {@code number} of the message in {@code message} (read from its
     * position to its limit), each as a buffer of its own bytes; fields of other numbers and types skipped.
     */
    private static List<ByteBuffer> fields(ByteBuffer message, int number) {
        ByteBuffer in = message.duplicate();
        List<ByteBuffer> found = new ArrayList<>();
        while (in.hasRemaining()) {
            long tag = varint(in);
            int wireType = (int) (tag & 7);
            switch (wireType) {
                case 0 -> varint(in);
                case 1 -> in.position(in.position() + 8);
                case 5 -> in.position(in.position() + 4);
                case 2 -> {
                    int length = (int) varint(in);
                    ByteBuffer field = in.slice(in.position(), length);
                    in.position(in.position() + length);
                    if (tag >>> 3 == number) {
                        found.add(field);
                    }
                }
                default -> throw new IllegalArgumentException("wire type " + wireType + " in an OTLP request");
            }
        }
        return found;
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    private static String text(ByteBuffer utf8) {
        return new String(bytes(utf8), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer field) {
        byte[] bytes = new byte[field.remaining()];
        field.duplicate().get(bytes);
        return bytes;
    }
}
