/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.neovisionaries.ws.client.WebSocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RtmIT {
    private static final Duration WAIT = RecordingWebSocket.WAIT;

    private SlackSimulator slack;
    private SlackApi api;
    private Workspace ws;
    private Bot bot;
    private Channel general;
    private User alice;

    @BeforeEach
    void start() {
        slack = SlackSimulator.builder().closeGrace(Duration.ofMillis(200)).start();
        api = new SlackApi(slack);
        ws = slack.workspace("T1");
        alice = ws.user("U1", "alice");
        general = ws.channel("C1", "general");
        bot = ws.bot("xoxb-bot-1", "UBOT", "relaxbot");
    }

    @AfterEach
    void stop() {
        api.close();
        slack.close();
    }

    @Test
    void saysHelloAndAnswersEveryPingWithAPongEchoingItsFields() {
        try (RecordingWebSocket client = RecordingWebSocket.rtm(api, "xoxb-bot-1")) {
            client.send("{\"id\":7,\"type\":\"ping\",\"time\":1403299273342}");
            client.send("{\"id\":8,\"type\":\"ping\"}");

            JsonNode pong = client.awaitFrame(Map.of("type", "pong", "reply_to", "7"));
            assertThat(pong.path("time").asLong()).isEqualTo(1403299273342L);
            client.awaitFrame(Map.of("type", "pong", "reply_to", "8"));
            assertThat(client.frames().getFirst().path("type").asText()).isEqualTo("hello");
        }
    }

    @Test
    void answersThePingOfTheGoBrokerWithItsIdThoughThePingCarriesAnEmptyReplyTo() {
        try (RecordingWebSocket client = RecordingWebSocket.rtm(api, "xoxb-bot-1")) {
            client.send("{\"id\":\"T1\",\"type\":\"ping\",\"reply_to\":\"\",\"event_ts\":\"1700000000\"}");

            JsonNode pong = client.awaitFrame("pong");
            assertThat(pong.path("reply_to").asText()).isEqualTo("T1");
            assertThat(pong.path("event_ts").asText()).isEqualTo("1700000000");
        }
    }

    @Test
    void acksABotMessageAndDeliversItToTheOtherConnectionsOnly() {
        try (RecordingWebSocket sender = RecordingWebSocket.rtm(api, "xoxb-bot-1");
                RecordingWebSocket other = RecordingWebSocket.rtm(api, "xoxb-bot-1")) {
            sender.send("{\"id\":1,\"type\":\"message\",\"channel\":\"C1\",\"text\":\"hi\"}");

            JsonNode ack = sender.awaitFrame(Map.of("reply_to", "1"));
            assertThat(ack.path("ok").asBoolean()).isTrue();
            assertThat(ack.path("text").asText()).isEqualTo("hi");
            JsonNode message = other.awaitFrame("message");
            assertThat(message.path("ts").asText()).isEqualTo(ack.path("ts").asText());
            assertThat(message.path("user").asText()).isEqualTo("UBOT");
            assertThat(message.path("bot_id").asText()).isEqualTo("BBOT");
            assertThat(message.path("channel").asText()).isEqualTo("C1");
            assertThat(sender.frames("message"))
                    .as("the sender gets an ack, not the event")
                    .isEmpty();
        }
    }

    @Test
    void rejectsMessagesWithoutTextOrWithAnUnknownChannel() {
        try (RecordingWebSocket client = RecordingWebSocket.rtm(api, "xoxb-bot-1")) {
            client.send("{\"id\":1,\"type\":\"message\",\"channel\":\"C1\"}");
            client.send("{\"id\":2,\"type\":\"message\",\"channel\":\"C404\",\"text\":\"x\"}");

            JsonNode noText = client.awaitFrame(Map.of("reply_to", "1"));
            assertThat(noText.path("ok").asBoolean(true)).isFalse();
            assertThat(noText.path("error").path("msg").asText()).isEqualTo("message text is missing");
            assertThat(client.awaitFrame(Map.of("reply_to", "2")).path("ok").asBoolean(true))
                    .isFalse();
        }
    }

    @Test
    void recordsTypingAndTellsTheOtherConnections() {
        try (RecordingWebSocket typist = RecordingWebSocket.rtm(api, "xoxb-bot-1");
                RecordingWebSocket other = RecordingWebSocket.rtm(api, "xoxb-bot-1")) {
            typist.send("{\"id\":\"abc\",\"type\":\"typing\",\"channel\":\"C1\"}");

            assertThat(other.awaitFrame("user_typing").path("user").asText()).isEqualTo("UBOT");
            await().atMost(WAIT).until(() -> slack.recordings().connections("T1").stream()
                    .anyMatch(c -> !c.sent("typing").isEmpty()));
            assertThat(typist.frames("user_typing")).isEmpty();
        }
    }

    @Test
    void aWebsocketUrlWorksOnce() {
        String url = api.rtmUrl("xoxb-bot-1");
        try (RecordingWebSocket first = RecordingWebSocket.connect(url);
                RecordingWebSocket second = RecordingWebSocket.connect(url)) {
            first.awaitFrame("hello");
            JsonNode error = second.awaitFrame("error");
            assertThat(error.path("error").path("msg").asText()).isEqualTo("Socket URL has expired");
            second.awaitDisconnected();
        }
    }

    @Test
    void everyRtmConnectionOfTheTeamSeesPostsMadeThroughTheWebApi() {
        try (RecordingWebSocket client = RecordingWebSocket.rtm(api, "xoxb-bot-1")) {
            SlackApi.Reply posted = api.form("chat.postMessage", "xoxb-bot-1", "channel", "C1", "text", "from api");
            api.form(
                    "chat.update",
                    "xoxb-bot-1",
                    "channel",
                    "C1",
                    "ts",
                    posted.json().path("ts").asText(),
                    "text",
                    "edited");

            JsonNode message = client.awaitFrame(Map.of("type", "message", "text", "from api"));
            assertThat(message.path("bot_id").asText()).isEqualTo("BBOT");
            JsonNode changed = client.awaitFrame(Map.of("type", "message", "subtype", "message_changed"));
            assertThat(changed.path("message").path("text").asText()).isEqualTo("edited");
            assertThat(changed.path("previous_message").path("text").asText()).isEqualTo("from api");
        }
    }

    @Test
    void goodbyeIsFollowedByTheServerClosingTheSocket() {
        try (RecordingWebSocket client = RecordingWebSocket.rtm(api, "xoxb-bot-1")) {
            ws.sendGoodbye();

            client.awaitFrame("goodbye");
            client.awaitDisconnected();
            assertThat(client.serverCloseFrame()).isNotNull();
            await().atMost(WAIT).until(() -> ws.openConnections() == 0);
        }
    }

    @Test
    void droppedSocketsEndWithoutACloseFrame() {
        try (RecordingWebSocket one = RecordingWebSocket.rtm(api, "xoxb-bot-1");
                RecordingWebSocket two = RecordingWebSocket.rtm(api, "xoxb-bot-1")) {
            ws.dropSockets();

            one.awaitDisconnected();
            two.awaitDisconnected();
            assertThat(one.serverCloseFrame()).isNull();
            assertThat(two.serverCloseFrame()).isNull();
            await().atMost(WAIT).until(() -> slack.recordings().openConnections("T1") == 0);
        }
    }

    @Test
    void aSilentTeamAnswersNoPingsUntilItResumes() {
        try (RecordingWebSocket client = RecordingWebSocket.rtm(api, "xoxb-bot-1")) {
            ws.goSilent();
            client.send("{\"id\":1,\"type\":\"ping\"}");
            ws.as(alice).post(general, "lost in the void");

            await().during(Duration.ofMillis(400))
                    .atMost(WAIT)
                    .until(() -> client.frames().size() == 1);

            ws.resume();
            client.send("{\"id\":2,\"type\":\"ping\"}");
            client.awaitFrame(Map.of("type", "pong", "reply_to", "2"));
            assertThat(client.frames("pong")).hasSize(1);
            assertThat(slack.recordings().connections("T1").getFirst().sent("ping"))
                    .hasSize(2);
        }
    }

    @Test
    void revokingATokenClosesItsSocketsAndFailsLaterCalls() {
        Bot other = ws.bot("xoxb-bot-2", "UBOT2", "other");
        try (RecordingWebSocket revoked = RecordingWebSocket.rtm(api, "xoxb-bot-1");
                RecordingWebSocket kept =
                        RecordingWebSocket.rtm(api, other.token().reveal())) {
            slack.revoke("xoxb-bot-1");

            revoked.awaitDisconnected();
            assertThat(api.form("rtm.connect", "xoxb-bot-1").error()).isEqualTo("token_revoked");
            assertThat(kept.disconnected()).isFalse();
        }
    }

    @Test
    void refusedUpgradesFailUntilTheWindowEnds() {
        String url = api.rtmUrl("xoxb-bot-1");
        slack.refuseConnections(Duration.ofMillis(500));

        WebSocketException refused = RecordingWebSocket.tryConnect(url);

        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).contains("503");
        await().atMost(WAIT).until(() -> api.form("rtm.connect", "xoxb-bot-1").ok());
        try (RecordingWebSocket client = RecordingWebSocket.rtm(api, "xoxb-bot-1")) {
            assertThat(client.frames("hello")).hasSize(1);
        }
    }

    @Test
    void migrationTellsTheSocketsAndClosesThem() {
        try (RecordingWebSocket client = RecordingWebSocket.rtm(api, "xoxb-bot-1")) {
            slack.migrationInProgress("T1", Duration.ofMillis(300));

            client.awaitFrame("team_migration_started");
            client.awaitDisconnected();
            await().atMost(WAIT)
                    .until(() -> api.form("rtm.connect", "xoxb-bot-1").ok());
        }
    }

    @Test
    void keepsAHistoryOfConnectionCounts() {
        RecordingWebSocket one = RecordingWebSocket.rtm(api, "xoxb-bot-1");
        RecordingWebSocket two = RecordingWebSocket.rtm(api, "xoxb-bot-1");
        slack.awaitConnections("T1", 2, WAIT);
        one.close();
        two.close();
        await().atMost(WAIT).until(() -> slack.recordings().openConnections("T1") == 0);

        List<Integer> counts = slack.recordings().connectionHistory("T1").stream()
                .map(ConnectionCount::count)
                .toList();
        assertThat(counts).containsExactly(1, 2, 1, 0);
        assertThat(slack.recordings().maxOpenConnections("T1")).isEqualTo(2);
        assertThat(slack.recordings().maxOpenConnections("TNOBODY")).isZero();
        RecordedConnection recorded = slack.recordings().connections("T1").getFirst();
        assertThat(recorded.userId()).isEqualTo("UBOT");
        assertThat(recorded.token().reveal()).isEqualTo("xoxb-bot-1");
        assertThat(recorded.isOpen()).isFalse();
        assertThat(recorded.received().getFirst().type()).isEqualTo("hello");
    }
}
