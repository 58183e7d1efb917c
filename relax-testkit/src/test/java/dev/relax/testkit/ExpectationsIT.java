/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator's blocking expectations (awaitMessage, awaitStreamFinished, awaitCall) and reset(). */
class ExpectationsIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(200);

    private SlackSimulator slack;
    private SlackApi api;
    private Workspace ws;
    private User alice;
    private Bot bot;
    private Channel general;

    @BeforeEach
    void start() {
        slack = SlackSimulator.start();
        api = new SlackApi(slack);
        ws = slack.workspace("T1");
        alice = ws.user("U1", "alice");
        bot = ws.bot("xoxb-1", "UBOT", "relaxbot");
        general = ws.channel("C1", "general");
    }

    @AfterEach
    void stop() {
        api.close();
        slack.close();
    }

    private String post(String text, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "channel";
        args[1] = "C1";
        args[2] = "text";
        args[3] = text;
        System.arraycopy(more, 0, args, 4, more.length);
        SlackApi.Reply reply = api.form("chat.postMessage", "xoxb-1", args);
        assertThat(reply.ok()).as(reply.json().toString()).isTrue();
        return reply.json().path("ts").asText();
    }

    @Test
    void awaitMessageReturnsEachMessageOfTheBotOnceInOrder() {
        ws.as(alice).post(general, "ping");
        String first = post("pong 1");
        String second = post("pong 2");

        assertThat(slack.awaitMessage(bot, general, WAIT))
                .isEqualTo(new ChannelMessage("C1", first, "UBOT", "pong 1", ""));
        assertThat(slack.awaitMessage(bot, general, WAIT))
                .isEqualTo(new ChannelMessage("C1", second, "UBOT", "pong 2", ""));
        assertThatThrownBy(() -> slack.awaitMessage(bot, general, SHORT))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected a message from UBOT in C1 within PT0.2S")
                .hasMessageContaining("saw 3:")
                .hasMessageContaining("text=ping")
                .hasMessageContaining("text=pong 2");
    }

    @Test
    void awaitMessageWaitsForAMessagePostedLater() throws Exception {
        CompletableFuture<ChannelMessage> awaited =
                CompletableFuture.supplyAsync(() -> slack.awaitMessage(bot, general, WAIT));
        String ts = post("late pong");

        assertThat(awaited.get(10, TimeUnit.SECONDS)).isEqualTo(new ChannelMessage("C1", ts, "UBOT", "late pong", ""));
    }

    @Test
    void awaitMessageInAThreadSkipsTopLevelMessages() {
        String parent = ws.as(alice).post(general, "question");
        post("top level");
        String reply = post("in thread", "thread_ts", parent);

        assertThat(slack.awaitMessage(bot, general, parent, WAIT))
                .isEqualTo(new ChannelMessage("C1", reply, "UBOT", "in thread", parent));
        assertThat(slack.awaitMessage(bot, general, WAIT).text()).isEqualTo("top level");
    }

    @Test
    void awaitStreamFinishedReturnsTheWholeStreamOnceStopped() {
        String question = ws.as(alice).post(general, "status?");
        SlackApi.Reply started = api.json(
                "chat.startStream",
                "xoxb-1",
                "{\"channel\":\"C1\",\"thread_ts\":\"" + question + "\",\"recipient_user_id\":\"U1\","
                        + "\"recipient_team_id\":\"T1\",\"markdown_text\":\"All \"}");
        String ts = started.json().path("ts").asText();
        api.form("chat.appendStream", "xoxb-1", "channel", "C1", "ts", ts, "markdown_text", "systems ");

        assertThatThrownBy(() -> slack.awaitStreamFinished(bot, general, SHORT))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected a finished stream from UBOT in C1 within PT0.2S")
                .hasMessageContaining("stopped=false");

        api.form("chat.stopStream", "xoxb-1", "channel", "C1", "ts", ts, "markdown_text", "green.");
        StreamedMessage done = slack.awaitStreamFinished(bot, general, WAIT);
        assertThat(done.text()).isEqualTo("All systems green.");
        assertThat(done.ts()).isEqualTo(ts);
        assertThat(done.threadTs()).isEqualTo(question);
        assertThat(done.stopped()).isTrue();
    }

    @Test
    void awaitCallReturnsEachCallOfTheMethodOnce() {
        post("one");
        api.form("auth.test", "xoxb-1");
        post("two");

        assertThat(slack.awaitCall("chat.postMessage", WAIT).arg("text")).isEqualTo("one");
        assertThat(slack.awaitCall("chat.postMessage", WAIT).arg("text")).isEqualTo("two");
        assertThat(slack.awaitCall("auth.test", WAIT).ok()).isTrue();
        assertThatThrownBy(() -> slack.awaitCall("chat.postMessage", SHORT))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected a call of chat.postMessage within PT0.2S")
                .hasMessageContaining("saw 3:")
                .hasMessageContaining(" auth.test token=");
    }

    @Test
    void resetForgetsRecordingsAndStartsAwaitsAfresh() {
        post("before");
        slack.awaitCall("chat.postMessage", WAIT);

        slack.reset();

        assertThat(slack.recordings().apiCalls()).isEmpty();
        assertThatThrownBy(() -> slack.awaitMessage(bot, general, SHORT)).isInstanceOf(AssertionError.class);
        String ts = post("after");
        assertThat(slack.awaitMessage(bot, general, WAIT)).isEqualTo(new ChannelMessage("C1", ts, "UBOT", "after", ""));
        assertThat(slack.awaitCall("chat.postMessage", WAIT).arg("text")).isEqualTo("after");
        assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("before", "after");
    }

    @Test
    void resetKeepsOpenConnectionsAndDropsClosedOnes() throws Exception {
        try (RecordingWebSocket closed = RecordingWebSocket.rtm(api, "xoxb-1")) {
            slack.awaitConnections("T1", 1, WAIT);
        }
        slack.awaitConnections("T1", 0, WAIT);
        try (RecordingWebSocket open = RecordingWebSocket.rtm(api, "xoxb-1")) {
            slack.awaitConnections("T1", 1, WAIT);

            slack.reset();

            assertThat(slack.recordings().connections("T1")).hasSize(1);
            assertThat(slack.recordings().connections("T1").getFirst().isOpen()).isTrue();
            assertThat(slack.recordings().connectionHistory("T1"))
                    .extracting(ConnectionCount::count)
                    .containsExactly(1);
            assertThat(slack.recordings().openConnections("T1")).isEqualTo(1);
        }
    }
}
