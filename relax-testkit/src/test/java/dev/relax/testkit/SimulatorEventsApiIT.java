/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static dev.relax.testkit.SlackSignature.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatorEventsApiIT {
    private static final Duration WAIT = RecordingWebSocket.WAIT;
    private static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One request as the endpoint under test saw it. */
    record Received(String body, String timestamp, String signature, String retryNum, String retryReason) {
        JsonNode json() throws IOException {
            return MAPPER.readTree(body);
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Decides the HTTP status of each event_callback request, given how many came before it. */
    private volatile ToIntFunction<Integer> statusOfCallback = n -> 200;

    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hang;

    private ExecutorService endpointThreads;
    private HttpServer endpoint;
    private SlackSimulator slack;
    private Workspace ws;
    private App app;
    private User alice;
    private Channel general;

    @BeforeEach
    void start() throws IOException {
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpointThreads = Executors.newCachedThreadPool();
        endpoint.setExecutor(endpointThreads);
        endpoint.createContext("/slack/events", this::serve);
        endpoint.start();
        slack = SlackSimulator.builder()
                .eventsTimeout(Duration.ofMillis(400))
                .eventsRetryDelays(Duration.ZERO, Duration.ofMillis(50))
                .start();
        ws = slack.workspace("T1");
        alice = ws.user("U1", "alice");
        general = ws.channel("C1", "general");
        app = slack.app("A1").signingSecret(SIGNING_SECRET);
        app.install(ws, "xoxb-app-1", "UAPP");
    }

    @AfterEach
    void stop() {
        release.countDown();
        slack.close();
        endpoint.stop(0);
        endpointThreads.shutdownNow();
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/slack/events");
    }

    private void serve(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var headers = exchange.getRequestHeaders();
        received.add(new Received(
                body,
                headers.getFirst("X-Slack-Request-Timestamp"),
                headers.getFirst("X-Slack-Signature"),
                headers.getFirst("X-Slack-Retry-Num"),
                headers.getFirst("X-Slack-Retry-Reason")));
        JsonNode json = MAPPER.readTree(body);
        byte[] answer = new byte[0];
        int status;
        if (json.path("type").asText().equals("url_verification")) {
            status = 200;
            answer = json.path("challenge").asText().getBytes(StandardCharsets.UTF_8);
        } else {
            long before = received.stream()
                            .filter(r -> !r.body().contains("url_verification"))
                            .count()
                    - 1;
            status = statusOfCallback.applyAsInt((int) before);
            if (hang) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Test
    void verifiesTheUrlThenPostsSignedEventCallbacks() throws Exception {
        app.eventsUrl(url());
        String ts = ws.as(alice).post(general, "hello events");

        await().atMost(WAIT).until(() -> received.size() == 2);
        Received verification = received.get(0);
        assertThat(verification.json().path("type").asText()).isEqualTo("url_verification");
        Received callback = received.get(1);
        assertThat(callback.signature()).isEqualTo(sign(SIGNING_SECRET, callback.timestamp(), callback.body()));
        assertThat(Long.parseLong(callback.timestamp()))
                .isCloseTo(System.currentTimeMillis() / 1000, Offset.offset(60L));
        JsonNode payload = callback.json();
        assertThat(payload.path("type").asText()).isEqualTo("event_callback");
        assertThat(payload.path("api_app_id").asText()).isEqualTo("A1");
        assertThat(payload.path("event_id").asText()).startsWith("Ev");
        assertThat(payload.path("event").path("type").asText()).isEqualTo("message");
        assertThat(payload.path("event").path("ts").asText()).isEqualTo(ts);
        assertThat(payload.path("event").path("channel_type").asText()).isEqualTo("channel");
        assertThat(callback.retryNum()).isNull();
    }

    @Test
    void signsWithTheAppsSigningSecretOverTimestampAndBody() throws Exception {
        app.eventsUrl(url());
        Received verification = received.getFirst();

        assertThat(verification.signature())
                .isEqualTo(sign(SIGNING_SECRET, verification.timestamp(), verification.body()))
                .isNotEqualTo(sign("another-secret", verification.timestamp(), verification.body()))
                .isNotEqualTo(sign(SIGNING_SECRET, verification.timestamp(), verification.body() + " "));
    }

    @Test
    void retriesAFailedDeliveryWithRetryNumAndReason() throws Exception {
        app.eventsUrl(url());
        statusOfCallback = n -> 500;

        ws.as(alice).post(general, "will fail");

        await().atMost(WAIT).until(() -> callbacks().size() == 4);
        List<Received> attempts = callbacks();
        assertThat(attempts).extracting(Received::retryNum).containsExactly(null, "1", "2", "3");
        assertThat(attempts)
                .extracting(Received::retryReason)
                .containsExactly(null, "http_error", "http_error", "http_error");
        assertThat(attempts)
                .extracting(r -> r.json().path("event_id").asText())
                .containsOnly(attempts.getFirst().json().path("event_id").asText());
        await().atMost(WAIT)
                .until(() -> slack.recordings().eventDeliveries("A1").size() == 5);
        assertThat(slack.recordings().eventDeliveries("A1"))
                .filteredOn(d -> d.type().equals("event_callback"))
                .allSatisfy(d -> assertThat(d.failure()).isEqualTo("http_error"));
    }

    @Test
    void stopsRetryingOnceTheEndpointAnswers2xx() throws Exception {
        app.eventsUrl(url());
        statusOfCallback = n -> n == 0 ? 503 : 200;

        ws.as(alice).post(general, "second time lucky");

        await().atMost(WAIT).until(() -> callbacks().size() == 2);
        await().during(Duration.ofMillis(300))
                .atMost(WAIT)
                .until(() -> callbacks().size() == 2);
        assertThat(callbacks().get(1).retryNum()).isEqualTo("1");
    }

    @Test
    void aSlowEndpointIsRetriedWithHttpTimeout() throws Exception {
        app.eventsUrl(url());
        hang = true;

        ws.as(alice).post(general, "slow");

        await().atMost(WAIT).until(() -> callbacks().size() >= 2);
        assertThat(callbacks().get(1).retryNum()).isEqualTo("1");
        assertThat(callbacks().get(1).retryReason()).isEqualTo("http_timeout");
    }

    @Test
    void anEndpointThatDoesNotEchoTheChallengeIsRejected() {
        statusOfCallback = n -> 200;
        URI wrong = URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/nowhere");

        assertThatThrownBy(() -> app.eventsUrl(wrong)).isInstanceOf(IllegalStateException.class);
        assertThat(slack.recordings().eventDeliveries("A1").getFirst().status()).isEqualTo(404);
    }

    private List<Received> callbacks() {
        return received.stream()
                .filter(r -> r.body().contains("event_callback"))
                .toList();
    }
}
