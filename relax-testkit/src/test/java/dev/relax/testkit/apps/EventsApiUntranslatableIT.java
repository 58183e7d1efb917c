/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static dev.relax.testkit.SlackSignature.sign;
import static dev.relax.testkit.apps.SlackRequests.post;
import static dev.relax.testkit.apps.SlackRequests.postSigned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.event.WireEvent;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A signed Events API request whose payload the broker cannot translate is written as Socket Mode writes
 * such an envelope, raw as a {@code slack_event}, and answered {@code 200}: a 500 would make Slack retry a
 * request that fails the same way every time, and then drop it.
 */
class EventsApiUntranslatableIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSignedButUntranslatablePayloadIsWrittenRawAsASlackEventAndAnswered200(
            SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            EventsApiApp s = EventsApiApp.register(slack, relax, "AUNT1", "signing-secret-unt", "TUNT1");
            // An attachment ts beyond any number: no Relax event can carry it.
            String body = "{\"token\":\"verification-token\",\"team_id\":\"" + s.ws().id() + "\",\"api_app_id\":\""
                    + s.app().id() + "\",\"type\":\"event_callback\",\"event_id\":\"EvUNT1\",\"event_time\":1700000000,"
                    + "\"event\":{\"type\":\"message\",\"channel\":\""
                    + s.general().id() + "\",\"user\":\""
                    + s.alice().id() + "\",\"text\":\"odd\",\"ts\":\"1700000000.000001\","
                    + "\"attachments\":[{\"ts\":1e400}]}}";

            // The broker applies app_added asynchronously: 401 until it knows the app.
            AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
            await().atMost(WAIT).until(() -> {
                answer.set(postSigned(relax.broker().httpPort(), "/slack/events", body, s.secret()));
                return answer.get().statusCode() != 401;
            });

            assertThat(answer.get().statusCode()).isEqualTo(200);
            assertThat(answer.get().body()).isEmpty();
            List<WireEvent> events = relax.events();
            assertThat(events).hasSize(1);
            WireEvent e = events.getFirst();
            assertThat(e.type()).isEqualTo("slack_event");
            assertThat(e.extraText("slack_type")).isEqualTo("events_api");
            assertThat(e.appId()).isEqualTo(s.app().id());
            assertThat(e.teamUid()).isEqualTo(s.ws().id());
            JsonNode payload = JSON.readTree(e.extraJson().get("payload"));
            assertThat(payload.path("event_id").asText()).isEqualTo("EvUNT1");
            assertThat(payload.path("event").path("text").asText()).isEqualTo("odd");
            assertThat(payload.has("token"))
                    .as("the verification token is never stored")
                    .isFalse();
            assertThat(relax.metrics().count("relax_events_api_requests_total{result=\"ok\"}"))
                    .isEqualTo(1);
            assertThat(relax.metrics().count("relax_events_api_requests_total{result=\"error\"}"))
                    .isZero();

            // Slack's retry of the same event (a new timestamp, the same event_id) adds nothing.
            String later = Long.toString(System.currentTimeMillis() / 1000 + 1);
            Map<String, String> retry = Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout");
            assertThat(post(relax, "/slack/events", body, later, sign(s.secret(), later, body), retry)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(relax.events()).hasSize(1);
        }
    }
}
