/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingIT {
    private static final String TOKEN = "xoxb-bot-1";

    private SlackSimulator slack;
    private SlackApi api;
    private Workspace ws;
    private Channel general;
    private String question;

    @BeforeEach
    void start() {
        slack = SlackSimulator.start();
        api = new SlackApi(slack);
        ws = slack.workspace("T1");
        User alice = ws.user("U1", "alice");
        general = ws.channel("C1", "general");
        ws.bot(TOKEN, "UBOT", "relaxbot");
        question = ws.as(alice).post(general, "what is the status?");
    }

    @AfterEach
    void stop() {
        api.close();
        slack.close();
    }

    @Test
    void aStreamGrowsAThreadReplyUntilItIsStopped() {
        try (RecordingWebSocket client = RecordingWebSocket.rtm(api, TOKEN)) {
            SlackApi.Reply started = api.json(
                    "chat.startStream",
                    TOKEN,
                    "{\"channel\":\"C1\",\"thread_ts\":\"" + question + "\",\"recipient_user_id\":\"U1\","
                            + "\"recipient_team_id\":\"T1\",\"markdown_text\":\"All \"}");
            String ts = started.json().path("ts").asText();
            SlackApi.Reply appended =
                    api.form("chat.appendStream", TOKEN, "channel", "C1", "ts", ts, "markdown_text", "systems ");
            SlackApi.Reply stopped =
                    api.form("chat.stopStream", TOKEN, "channel", "C1", "ts", ts, "markdown_text", "green.");
            SlackApi.Reply late =
                    api.form("chat.appendStream", TOKEN, "channel", "C1", "ts", ts, "markdown_text", "more");

            assertThat(started.ok()).as(started.json().toString()).isTrue();
            assertThat(appended.ok()).isTrue();
            assertThat(stopped.json().path("message").path("text").asText()).isEqualTo("All systems green.");
            assertThat(late.error()).isEqualTo("message_not_in_streaming_state");
            StreamedMessage stream = slack.recordings().streams().getFirst();
            assertThat(stream.chunks()).containsExactly("All ", "systems ", "green.");
            assertThat(stream.threadTs()).isEqualTo(question);
            assertThat(stream.stopped()).isTrue();
            JsonNode reply = client.awaitFrame(Map.of("type", "message", "ts", ts));
            assertThat(reply.path("thread_ts").asText()).isEqualTo(question);
            JsonNode finished = client.awaitFrame(Map.of("type", "message", "subtype", "message_changed"));
            assertThat(finished.path("message").path("text").asText()).isEqualTo("All systems green.");
        }
    }

    @Test
    void streamingInAChannelNeedsTheRecipient() {
        SlackApi.Reply reply =
                api.form("chat.startStream", TOKEN, "channel", "C1", "thread_ts", question, "markdown_text", "x");

        assertThat(reply.error()).isEqualTo("missing_recipient_user_id");
    }

    @Test
    void appendingToAnUnknownStreamFails() {
        assertThat(api.form("chat.appendStream", TOKEN, "channel", "C1", "ts", "1.000000", "markdown_text", "x")
                        .error())
                .isEqualTo("message_not_found");
    }
}
