/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.testkit.Bot;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.Workspace;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A plain-{@code http} {@code SLACK_HOST} (a gateway, a proxy, a local stand-in) that speaks HTTP/1.1 only
 * and answers any request carrying {@code Upgrade} with 404, as many such servers do with the JDK's
 * {@code Upgrade: h2c}. Everything else it forwards to the simulator.
 */
class PlainHttpSlackHostIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The stand-in: refuses upgrades, records what it saw, forwards the rest to the simulator over HTTP/1.1. */
    private static final class Http11Gateway implements AutoCloseable {
        private final HttpServer server;
        private final HttpClient upstream =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final List<String> upgradesRefused = new CopyOnWriteArrayList<>();
        final List<String> forwarded = new CopyOnWriteArrayList<>();

        Http11Gateway(String target) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> handle(exchange, target));
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange, String target) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().toString();
                String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
                if (upgrade != null) {
                    upgradesRefused.add(path + " Upgrade: " + upgrade);
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                forwarded.add(path);
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path))
                        .method(
                                exchange.getRequestMethod(),
                                HttpRequest.BodyPublishers.ofByteArray(
                                        exchange.getRequestBody().readAllBytes()));
                for (String name : List.of("Content-Type", "Authorization")) {
                    String value = exchange.getRequestHeaders().getFirst(name);
                    if (value != null) {
                        request.header(name, value);
                    }
                }
                HttpResponse<byte[]> answer = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders()
                        .set("Content-Type", v));
                exchange.sendResponseHeaders(
                        answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            upstream.close();
        }
    }

    @Test
    void webApiCallsToAPlainHttpHostSpeakHttp11WithoutAnUpgrade(SlackSimulator slack) throws Exception {
        Workspace ws = slack.workspace("THTTP1");
        Bot bot = ws.bot("xoxb-http11-token", "UBHTTP1", "relaxbot");
        try (Http11Gateway gateway = new Http11Gateway(slack.baseUrl());
                HttpClient http = HttpClient.newHttpClient()) {
            SlackWebApi api = new SlackWebApi(
                    http,
                    URI.create(gateway.url()),
                    Duration.ofSeconds(10),
                    new ObjectMapper(),
                    BrokerTracing.noop(),
                    new BrokerMetrics());

            SlackWebApi.Response first = api.call("auth.test", bot.token(), Map.of());
            SlackWebApi.Response second = api.call("rtm.connect", bot.token(), Map.of());

            assertThat(gateway.upgradesRefused).isEmpty();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body().path("user_id").asText()).isEqualTo("UBHTTP1");
            assertThat(second.ok()).isTrue();
            assertThat(gateway.forwarded).containsExactly("/api/auth.test", "/api/rtm.connect");
        }
    }

    @Test
    void aBotConnectsThroughAPlainHttpGatewayThatRefusesUpgrades(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = slack.workspace("THTTP2");
        Bot bot = ws.bot("xoxb-http11-gateway", "UBHTTP2", "relaxbot");
        try (Http11Gateway gateway = new Http11Gateway(slack.baseUrl());
                TestBroker relax = TestBroker.builder(slack, redis)
                        .config(c -> c.slackHost(gateway.url()))
                        .start()) {
            relax.register(bot);

            await().atMost(WAIT).until(() -> ws.openConnections() == 1);
            assertThat(gateway.upgradesRefused).isEmpty();
            assertThat(gateway.forwarded).contains("/api/rtm.connect");
        }
    }
}
