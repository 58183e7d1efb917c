/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers one request of a {@link SampleBackend}: records it, validates it against the contract, then
 * answers or misbehaves as the options say. Runs on the server's threads, one exchange each; the recorded
 * list is thread-safe, the options immutable.
 */
final class AnswerHandler implements HttpHandler {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SampleBackend.Builder options;
    private final CountDownLatch closed;
    private final List<RecordedRequest> requests;
    // One party for awaitIdle, one per exchange being handled.
    private final Phaser inFlight = new Phaser(1);

    AnswerHandler(SampleBackend.Builder options, CountDownLatch closed, List<RecordedRequest> requests) {
        this.options = options;
        this.closed = closed;
        this.requests = requests;
    }

    /** Waits until no exchange is being handled, at most {@code timeout}; for closing. */
    void awaitIdle(Duration timeout) {
        try {
            inFlight.awaitAdvanceInterruptibly(inFlight.arrive(), timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            // a handler stuck writing to a client that reads nothing: closing the connection ends it
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        inFlight.register();
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String problem = problemWith(exchange);
            Question question = null;
            if (problem == null) {
                try {
                    question = Question.parse(body);
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
            }
            requests.add(new RecordedRequest(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(),
                    body,
                    question));
            if (!authorized(exchange)) {
                sendJson(exchange, 401, error("The backend token is missing or wrong."));
            } else if (problem != null) {
                sendJson(exchange, 400, error("Bad request: " + problem + "."));
            } else {
                answer(exchange, question);
            }
        } finally {
            inFlight.arriveAndDeregister();
        }
    }

    private void answer(HttpExchange exchange, Question question) throws IOException {
        boolean stream = acceptsEventStream(exchange);
        switch (options.misbehaviour) {
            case HANG -> {
                awaitClose(null);
                return;
            }
            case STATUS -> {
                sendJson(
                        exchange,
                        options.status,
                        error("The sample backend was told to fail with " + options.status + "."));
                return;
            }
            case MALFORMED -> {
                byte[] bytes = stream
                        ? SampleBackend.malformedStream()
                        : SampleBackend.MALFORMED_JSON.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                return;
            }
            case SLOW_FIRST_BYTE -> {
                if (awaitClose(options.firstByteDelay)) {
                    return;
                }
            }
            case NONE, CUT -> {}
        }
        String answer = SampleBackend.answerTo(question.text());
        if (!stream) {
            ObjectNode json = MAPPER.createObjectNode().put("text", answer);
            sendJson(exchange, 200, json);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        SseWriter sse = new SseWriter(exchange.getResponseBody());
        sse.comment("keep-alive");
        List<String> chunks = SampleBackend.chunksOf(answer);
        int count =
                options.misbehaviour == Misbehaviour.CUT ? Math.min(options.cutAfter, chunks.size()) : chunks.size();
        for (int i = 0; i < count; i++) {
            if (i > 0 && awaitClose(options.chunkDelay)) {
                return;
            }
            String chunk = chunks.get(i);
            sse.data(
                    options.plainTextChunks
                            ? chunk
                            : MAPPER.createObjectNode().put("text", chunk).toString());
        }
        if (options.misbehaviour != Misbehaviour.CUT) {
            sse.event("done", "{}");
        }
    }

    /** What is wrong with the request's method or content type, or {@code null} when nothing is. */
    private static String problemWith(HttpExchange exchange) {
        if (!exchange.getRequestMethod().equals("POST")) {
            return "the method must be POST, not " + exchange.getRequestMethod();
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            return "Content-Type must be application/json, not " + (type == null ? "missing" : type);
        }
        return null;
    }

    private boolean authorized(HttpExchange exchange) {
        return options.bearerToken == null
                || ("Bearer " + options.bearerToken)
                        .equals(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private static boolean acceptsEventStream(HttpExchange exchange) {
        List<String> accept = exchange.getRequestHeaders().get("Accept");
        return accept != null
                && accept.stream()
                        .anyMatch(value -> value.toLowerCase(Locale.ROOT).contains("text/event-stream"));
    }

    /** Waits {@code delay} ({@code null}: for ever); true when the backend closed meanwhile. */
    private boolean awaitClose(Duration delay) {
        try {
            if (delay == null) {
                closed.await();
                return true;
            }
            return closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static ObjectNode error(String message) {
        return MAPPER.createObjectNode().put("message", message);
    }

    private static void sendJson(HttpExchange exchange, int status, ObjectNode json) throws IOException {
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
