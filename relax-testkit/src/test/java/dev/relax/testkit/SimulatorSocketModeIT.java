/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatorSocketModeIT {
    private static final Duration WAIT = RecordingWebSocket.WAIT;
    private static final String APP_TOKEN = "xapp-1-A1-secret";

    private SlackSimulator slack;
    private SlackApi api;
    private Workspace ws;
    private App app;
    private Bot appBot;
    private User alice;
    private Channel general;
    private final List<RecordingWebSocket> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        slack = SlackSimulator.builder()
                .ackTimeout(Duration.ofMillis(500))
                .closeGrace(Duration.ofMillis(200))
                .start();
        api = new SlackApi(slack);
        ws = slack.workspace("T1");
        alice = ws.user("U1", "alice");
        general = ws.channel("C1", "general");
        app = slack.app("A1").appToken(APP_TOKEN);
        appBot = app.install(ws, "xoxb-app-1", "UAPP", "appbot");
    }

    @AfterEach
    void stop() {
        clients.forEach(RecordingWebSocket::close);
        api.close();
        slack.close();
    }

    private RecordingWebSocket connect() {
        RecordingWebSocket client = RecordingWebSocket.socketMode(api, APP_TOKEN);
        clients.add(client);
        return client;
    }

    @Test
    void helloCountsTheAppsConnections() {
        JsonNode first = connect().frames("hello").getFirst();
        JsonNode second = connect().frames("hello").getFirst();

        assertThat(first.path("num_connections").asInt()).isEqualTo(1);
        assertThat(second.path("num_connections").asInt()).isEqualTo(2);
        assertThat(second.path("debug_info").path("host").asText()).isNotEmpty();
        assertThat(second.path("connection_info").path("app_id").asText()).isEqualTo("A1");
        assertThat(app.openConnections()).isEqualTo(2);
    }

    @Test
    void aMentionArrivesAsMessageAndAppMentionEnvelopesWithDistinctEventIds() {
        RecordingWebSocket client = connect().autoAck();

        String ts = ws.as(alice).mention(appBot, general, "hello app");

        JsonNode message = envelopeWithEvent(client, "message");
        JsonNode mention = envelopeWithEvent(client, "app_mention");
        assertThat(message.path("type").asText()).isEqualTo("events_api");
        assertThat(message.path("accepts_response_payload").asBoolean(true)).isFalse();
        assertThat(message.path("retry_attempt").asInt(-1)).isZero();
        assertThat(message.path("retry_reason").asText("x")).isEmpty();
        JsonNode payload = message.path("payload");
        assertThat(payload.path("type").asText()).isEqualTo("event_callback");
        assertThat(payload.path("team_id").asText()).isEqualTo("T1");
        assertThat(payload.path("api_app_id").asText()).isEqualTo("A1");
        assertThat(payload.path("event_time").asLong()).isPositive();
        assertThat(payload.path("authorizations").get(0).path("user_id").asText())
                .isEqualTo("UAPP");
        assertThat(payload.path("authorizations").get(0).path("is_bot").asBoolean())
                .isTrue();
        assertThat(payload.path("event").path("channel_type").asText()).isEqualTo("channel");
        assertThat(payload.path("event").path("ts").asText()).isEqualTo(ts);
        assertThat(mention.path("payload").path("event").path("text").asText()).isEqualTo("<@UAPP> hello app");
        assertThat(mention.path("payload").path("event_id").asText())
                .isNotEqualTo(payload.path("event_id").asText());
        await().atMost(WAIT)
                .until(() -> slack.recordings().envelopes("A1").stream().allMatch(e -> e.acked() && e.attempts() == 1));
    }

    @Test
    void anUnacknowledgedEnvelopeIsRedeliveredThreeTimes() {
        RecordingWebSocket client = connect();

        ws.as(alice).post(general, "anyone?");

        await().atMost(WAIT).until(() -> client.frames("events_api").size() == 4);
        List<JsonNode> attempts = client.frames("events_api");
        assertThat(attempts)
                .extracting(f -> f.path("envelope_id").asText())
                .containsOnly(attempts.getFirst().path("envelope_id").asText());
        assertThat(attempts).extracting(f -> f.path("retry_attempt").asInt()).containsExactly(0, 1, 2, 3);
        assertThat(attempts)
                .extracting(f -> f.path("retry_reason").asText())
                .containsExactly("", "timeout", "timeout", "timeout");
        await().during(Duration.ofMillis(700))
                .atMost(WAIT)
                .until(() -> client.frames("events_api").size() == 4);
        assertThat(slack.recordings().envelopes("A1").getFirst().acked()).isFalse();
    }

    @Test
    void anAckStopsRedelivery() {
        RecordingWebSocket client = connect().autoAck();

        ws.as(alice).post(general, "ack me");

        client.awaitFrame("events_api");
        await().during(Duration.ofMillis(1200))
                .atMost(WAIT)
                .until(() -> client.frames("events_api").size() == 1);
        EnvelopeRecord envelope = slack.recordings().envelopes("A1").getFirst();
        assertThat(envelope.acked()).isTrue();
        assertThat(envelope.attempts()).isEqualTo(1);
        assertThat(slack.recordings()
                        .connections("A1")
                        .getFirst()
                        .sent()
                        .getFirst()
                        .json()
                        .path("envelope_id")
                        .asText())
                .isEqualTo(envelope.envelopeId());
    }

    @Test
    void anEnvelopeLostWithADroppedSocketIsRedeliveredOnTheNextConnection() {
        RecordingWebSocket dropped = connect();
        ws.as(alice).post(general, "in flight");
        String envelopeId = dropped.awaitFrame("events_api").path("envelope_id").asText();

        app.dropSockets();
        dropped.awaitDisconnected();
        assertThat(dropped.serverCloseFrame()).isNull();
        RecordingWebSocket next = connect().autoAck();

        JsonNode redelivered = next.awaitFrame(Map.of("type", "events_api", "envelope_id", envelopeId));
        assertThat(redelivered.path("retry_attempt").asInt()).isPositive();
        assertThat(redelivered.path("retry_reason").asText()).isEqualTo("timeout");
    }

    @Test
    void eachEnvelopeGoesToOneConnectionInTurn() {
        RecordingWebSocket one = connect().autoAck();
        RecordingWebSocket two = connect().autoAck();

        for (int i = 0; i < 6; i++) {
            ws.as(alice).post(general, "event " + i);
        }

        await().atMost(WAIT)
                .until(() -> one.frames("events_api").size()
                                + two.frames("events_api").size()
                        == 6);
        Set<String> onOne = envelopeIds(one);
        Set<String> onTwo = envelopeIds(two);
        assertThat(onOne).hasSize(3).doesNotContainAnyElementsOf(onTwo);
        assertThat(onTwo).hasSize(3);
    }

    @Test
    void disconnectReasonsDecideWhetherTheSocketCloses() {
        RecordingWebSocket client = connect();

        app.disconnect(DisconnectReason.WARNING);
        assertThat(client.awaitFrame("disconnect").path("reason").asText()).isEqualTo("warning");
        await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> !client.disconnected());

        app.disconnect(DisconnectReason.REFRESH_REQUESTED);
        client.awaitFrame(Map.of("type", "disconnect", "reason", "refresh_requested"));
        client.awaitDisconnected();

        RecordingWebSocket next = connect();
        app.disconnect(DisconnectReason.LINK_DISABLED);
        next.awaitFrame(Map.of("type", "disconnect", "reason", "link_disabled"));
        next.awaitDisconnected();
        await().atMost(WAIT).until(() -> app.openConnections() == 0);
    }

    @Test
    void theEleventhConnectionIsRefused() {
        for (int i = 0; i < 10; i++) {
            connect();
        }

        SlackApi.Reply eleventh = api.bearer("apps.connections.open", APP_TOKEN);

        assertThat(eleventh.ok()).isFalse();
        assertThat(eleventh.error()).isEqualTo("too_many_websockets");
        clients.removeFirst().close();
        await().atMost(WAIT)
                .until(() -> api.bearer("apps.connections.open", APP_TOKEN).ok());
    }

    @Test
    void slashCommandsAndButtonsArriveAsEnvelopesAndAckPayloadsAreRecorded() {
        RecordingWebSocket client = connect();

        String commandId = app.slashCommand(ws, alice, general, "/deploy", "now");
        String actionId = app.blockAction(ws, alice, general, "approve", "yes");

        JsonNode command = client.awaitFrame(Map.of("type", "slash_commands", "envelope_id", commandId));
        assertThat(command.path("accepts_response_payload").asBoolean()).isTrue();
        assertThat(command.path("payload").path("command").asText()).isEqualTo("/deploy");
        assertThat(command.path("payload").path("text").asText()).isEqualTo("now");
        assertThat(command.path("payload").path("user_id").asText()).isEqualTo("U1");
        JsonNode action = client.awaitFrame(Map.of("type", "interactive", "envelope_id", actionId));
        assertThat(action.path("payload").path("type").asText()).isEqualTo("block_actions");
        assertThat(action.path("payload")
                        .path("actions")
                        .get(0)
                        .path("action_id")
                        .asText())
                .isEqualTo("approve");

        client.send("{\"envelope_id\":\"" + commandId + "\",\"payload\":{\"text\":\"deploying\"}}");

        await().atMost(WAIT).until(() -> slack.recordings().envelopes("A1").stream()
                .anyMatch(e -> e.envelopeId().equals(commandId) && e.acked()));
        EnvelopeRecord recorded = slack.recordings().envelopes("A1").stream()
                .filter(e -> e.envelopeId().equals(commandId))
                .findFirst()
                .orElseThrow();
        assertThat(recorded.ackPayload()).contains("deploying");
    }

    @Test
    void revokingTheAppTokenClosesItsSockets() {
        RecordingWebSocket client = connect();

        slack.revoke(APP_TOKEN);

        client.awaitDisconnected();
        assertThat(api.bearer("apps.connections.open", APP_TOKEN).error()).isEqualTo("token_revoked");
    }

    private static JsonNode envelopeWithEvent(RecordingWebSocket client, String eventType) {
        return await().atMost(WAIT)
                .until(
                        () -> client.frames("events_api").stream()
                                .filter(f -> f.path("payload")
                                        .path("event")
                                        .path("type")
                                        .asText()
                                        .equals(eventType))
                                .findFirst()
                                .orElse(null),
                        frame -> frame != null);
    }

    private static Set<String> envelopeIds(RecordingWebSocket client) {
        Set<String> ids = new HashSet<>();
        client.frames("events_api").forEach(f -> ids.add(f.path("envelope_id").asText()));
        return ids;
    }
}
