/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/** An {@link HttpClient} that answers Slack's Web API from a script, for {@link SlackWebApi} in unit tests. */
public final class FakeSlackHttp extends HttpClient {
    private record Answer(int status, String body, Map<String, List<String>> headers) {}

    private final ArrayDeque<Answer> answers = new ArrayDeque<>();
    /** The methods called, in order. */
    public final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    public synchronized FakeSlackHttp answer(String json) {
        answers.add(new Answer(200, json, Map.of()));
        return this;
    }

    public SlackWebApi api() {
        return api(dev.relax.broker.internal.trace.BrokerTracing.noop());
    }

    /** The Web API over this fake, its spans going to {@code tracing}. */
    public SlackWebApi api(dev.relax.broker.internal.trace.BrokerTracing tracing) {
        return api(tracing, new dev.relax.broker.internal.http.BrokerMetrics());
    }

    /** The Web API over this fake, its spans going to {@code tracing} and its timings to {@code metrics}. */
    public SlackWebApi api(
            dev.relax.broker.internal.trace.BrokerTracing tracing,
            dev.relax.broker.internal.http.BrokerMetrics metrics) {
        return new SlackWebApi(
                this,
                URI.create("https://slack.test"),
                Duration.ofSeconds(1),
                new com.fasterxml.jackson.databind.ObjectMapper(),
                tracing,
                metrics);
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        String path = request.uri().getPath();
        calls.add(path.substring(path.lastIndexOf('/') + 1));
        Answer a = answers.isEmpty() ? new Answer(500, "{}", Map.of()) : answers.poll();
        return (HttpResponse<T>) new FakeResponse(request, a);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return CompletableFuture.completedFuture(send(request, handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
            HttpRequest request, HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
        return sendAsync(request, handler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
        return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
        return null;
    }

    @Override
    public SSLParameters sslParameters() {
        return null;
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return Optional.empty();
    }

    @Override
    public Version version() {
        return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
        return Optional.empty();
    }

    private record FakeResponse(HttpRequest request, Answer answer) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return answer.status();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(answer.headers(), (k, v) -> true);
        }

        @Override
        public String body() {
            return answer.body();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }
    }
}
