/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.core.Secret;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Calls Slack's Web API at {@code <SLACK_HOST>/api/<method>}: a form-encoded POST, the token both as
 * {@code Authorization: Bearer} and as the {@code token} field (the Go broker sends the field; Slack
 * accepts either, https://api.slack.com/web#authentication).
 *
 * <p>HTTP/2 over TLS ({@code https}, negotiated by ALPN, as Slack serves it), HTTP/1.1 to a plain {@code http}
 * host (a gateway, a proxy, a local stand-in): for those the JDK would otherwise offer {@code Upgrade: h2c}
 * on every call (RFC 7540 section 3.2, dropped by RFC 9113), which many such servers answer with 404 or a
 * reset. The Go broker speaks HTTP/1.1 to them too.
 */
public final class SlackWebApi {
    private final HttpClient http;
    private final URI base;
    private final String apiBase;
    private final Duration timeout;
    private final ObjectMapper json;
    /** HTTP/1.1 for a plain-http host, else the client's default (HTTP/2 when the server offers it). */
    private final Optional<HttpClient.Version> version;

    private final BrokerTracing tracing;
    private final BrokerMetrics metrics;

    public SlackWebApi(
            HttpClient http,
            URI base,
            Duration timeout,
            ObjectMapper json,
            BrokerTracing tracing,
            BrokerMetrics metrics) {
        this.http = http;
        this.tracing = tracing;
        this.metrics = metrics;
        this.base = base;
        // $SLACK_HOST/api/<method>, keeping any path SLACK_HOST has (a gateway may serve Slack under one).
        String b = base.toString();
        this.apiBase = (b.endsWith("/") ? b : b + "/") + "api/";
        this.timeout = timeout;
        this.json = json;
        this.version =
                "http".equalsIgnoreCase(base.getScheme()) ? Optional.of(HttpClient.Version.HTTP_1_1) : Optional.empty();
    }

    /** The spans of these calls. */
    public BrokerTracing tracing() {
        return tracing;
    }

    /** What Slack answered. {@code body} is an empty object when the answer was not JSON. */
    public record Response(int status, JsonNode body, Optional<Duration> retryAfter) {
        public boolean ok() {
            return status == 200 && body.path("ok").asBoolean(false);
        }

        /** Slack's {@code error}, or {@code http_<status>} when the HTTP status itself failed. */
        public String error() {
            if (status == 429) {
                return "ratelimited";
            }
            if (status != 200) {
                return "http_" + status;
            }
            return body.path("error").asText("unknown_error");
        }
    }

    /**
     * Calls {@code method}; throws {@link IOException} for network failures. One call is one attempt: the
     * JDK client repeats a POST by itself only after its connection attempt failed (it does so once), never
     * once the request may have been sent ({@code jdk.httpclient.enableAllMethodRetry} is not set). Whether
     * the request can have reached Slack: {@link #neverSent}.
     */
    public Response call(String method, Secret token, Map<String, String> params)
            throws IOException, InterruptedException {
        // One CLIENT span per attempt, a child of the caller's current context (a call's, from its traceparent).
        Span span = tracing.webApiCall(method, Context.current());
        long start = System.nanoTime();
        Response answer;
        try {
            answer = send(method, token, params);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof IOException) {
                metrics.webApiCall(method, "network_error", System.nanoTime() - start);
            }
            BrokerTracing.failed(span, e);
            throw e;
        }
        metrics.webApiCall(method, outcome(answer), System.nanoTime() - start);
        BrokerTracing.answered(span, answer.status(), answer.ok(), answer.error());
        return answer;
    }

    private Response send(String method, Secret token, Map<String, String> params)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(method, token, params), HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            body = json.createObjectNode();
        }
        if (body == null || !body.isObject()) {
            body = json.createObjectNode();
        }
        Optional<Duration> retryAfter =
                response.headers().firstValue("Retry-After").flatMap(SlackWebApi::seconds);
        return new Response(response.statusCode(), body, retryAfter);
    }

    /** The outcome tag of a Web API answer: {@code ok}, {@code error}, {@code ratelimited}, {@code http_error}. */
    private static String outcome(Response answer) {
        if (answer.ok()) {
            return "ok";
        }
        return answer.status() == 429 ? "ratelimited" : answer.status() == 200 ? "error" : "http_error";
    }

    /**
     * Whether {@code failure}, thrown by {@link #call}, means that the request never left: no connection
     * could be made ({@link ConnectException}, {@link HttpConnectTimeoutException}; the JDK client keeps
     * these types when it rethrows). Anything else (a request timeout, a reset or a closed connection
     * while waiting for the answer) may come after Slack received the request and acted on it.
     */
    public static boolean neverSent(IOException failure) {
        return failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException;
    }

    /** The request for {@code method}: a form POST, in HTTP/1.1 when {@code SLACK_HOST} is plain http. */
    HttpRequest request(String method, Secret token, Map<String, String> params) {
        StringBuilder form = new StringBuilder("token=").append(encode(token.reveal()));
        params.forEach((k, v) -> form.append('&').append(encode(k)).append('=').append(encode(v)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiBase + method))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + token.reveal())
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        version.ifPresent(request::version);
        return request.build();
    }

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
