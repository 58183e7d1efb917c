/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** assistant.threads.setStatus over HTTP: https://api.slack.com/methods/assistant.threads.setStatus */
class ThreadStatusIT {
    private static final String TOKEN = "xoxb-bot-1";
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final StepClock clock = new StepClock(START);
    private SlackSimulator slack;
    private SlackApi api;
    private Workspace ws;
    private User alice;
    private Channel general;
    private String question;

    @BeforeEach
    void start() {
        slack = SlackSimulator.builder().clock(clock).start();
        api = new SlackApi(slack);
        ws = slack.workspace("T1");
        alice = ws.user("U1", "alice");
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
    void statusShowsUntilTheBotStreamsItsReply() {
        SlackApi.Reply set = api.json(
                "assistant.threads.setStatus",
                TOKEN,
                "{\"channel_id\":\"C1\",\"thread_ts\":\"" + question + "\",\"status\":\"is thinking...\","
                        + "\"loading_messages\":[\"Reading the thread\",\"Asking the backend\"]}");

        assertThat(set.json().toString()).isEqualTo("{\"ok\":true}");
        ThreadStatus expected = new ThreadStatus(
                "T1",
                "C1",
                question,
                "UBOT",
                "is thinking...",
                List.of("Reading the thread", "Asking the backend"),
                START);
        assertThat(slack.recordings().threadStatus("C1", question)).contains(expected);

        ws.as(alice).reply(general, question, "any news?");
        assertThat(slack.recordings().threadStatus("C1", question)).contains(expected);

        SlackApi.Reply started = api.json(
                "chat.startStream",
                TOKEN,
                "{\"channel\":\"C1\",\"thread_ts\":\"" + question + "\",\"recipient_user_id\":\"U1\","
                        + "\"recipient_team_id\":\"T1\",\"markdown_text\":\"All \"}");

        assertThat(started.ok()).as(started.json().toString()).isTrue();
        assertThat(slack.recordings().threadStatus("C1", question)).isEmpty();
        assertThat(slack.recordings().threadStatuses("C1", question)).containsExactly(expected);
    }

    @Test
    void aThreadReplyByTheBotClearsTheStatusOfThatThreadOnly() {
        String other = ws.as(alice).post(general, "and the other thing?");
        api.form("assistant.threads.setStatus", TOKEN, "channel_id", "C1", "thread_ts", question, "status", "is busy");
        api.form("assistant.threads.setStatus", TOKEN, "channel_id", "C1", "thread_ts", other, "status", "is busy");

        SlackApi.Reply posted =
                api.form("chat.postMessage", TOKEN, "channel", "C1", "thread_ts", question, "text", "Done.");

        assertThat(posted.ok()).isTrue();
        assertThat(slack.recordings().threadStatus("C1", question)).isEmpty();
        assertThat(slack.recordings().threadStatus("C1", other).map(ThreadStatus::status))
                .contains("is busy");
    }

    @Test
    void anEmptyStatusClearsItAndIsRecorded() {
        api.form("assistant.threads.setStatus", TOKEN, "channel_id", "C1", "thread_ts", question, "status", "is busy");
        clock.step(Duration.ofSeconds(3));

        SlackApi.Reply cleared =
                api.form("assistant.threads.setStatus", TOKEN, "channel_id", "C1", "thread_ts", question, "status", "");

        assertThat(cleared.ok()).isTrue();
        assertThat(slack.recordings().threadStatus("C1", question)).isEmpty();
        assertThat(slack.recordings().threadStatuses("C1", question))
                .extracting(ThreadStatus::status, ThreadStatus::at)
                .containsExactly(tuple("is busy", START), tuple("", START.plusSeconds(3)));
    }

    @Test
    void statusDisappearsTwoMinutesAfterItWasSetWithoutAMessage() {
        api.form("assistant.threads.setStatus", TOKEN, "channel_id", "C1", "thread_ts", question, "status", "is busy");

        clock.step(Duration.ofSeconds(119));
        Optional<ThreadStatus> before = slack.recordings().threadStatus("C1", question);
        clock.step(Duration.ofSeconds(1));
        Optional<ThreadStatus> after = slack.recordings().threadStatus("C1", question);

        assertThat(before.map(ThreadStatus::status)).contains("is busy");
        assertThat(after).isEmpty();
    }

    @Test
    void statusOfAReplyIsTheStatusOfItsThread() {
        String reply = ws.as(alice).reply(general, question, "hello?");

        api.form("assistant.threads.setStatus", TOKEN, "channel_id", "C1", "thread_ts", reply, "status", "is busy");

        assertThat(slack.recordings().threadStatus("C1", question).map(ThreadStatus::threadTs))
                .contains(question);
    }

    @Test
    void refusesWhatTheDocumentedErrorsName() {
        String status = "is busy";
        assertThat(api.form(
                                "assistant.threads.setStatus",
                                TOKEN,
                                "channel_id",
                                "C9",
                                "thread_ts",
                                question,
                                "status",
                                status)
                        .error())
                .isEqualTo("channel_not_found");
        assertThat(api.form(
                                "assistant.threads.setStatus",
                                TOKEN,
                                "channel_id",
                                "general",
                                "thread_ts",
                                question,
                                "status",
                                status)
                        .error())
                .isEqualTo("channel_not_found");
        assertThat(api.form(
                                "assistant.threads.setStatus",
                                TOKEN,
                                "channel_id",
                                "C1",
                                "thread_ts",
                                "1.000000",
                                "status",
                                status)
                        .error())
                .isEqualTo("invalid_thread_ts");
        assertThat(api.form("assistant.threads.setStatus", TOKEN, "channel_id", "C1", "thread_ts", question)
                        .error())
                .isEqualTo("invalid_arguments");
        String eleven = "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]";
        assertThat(api.form(
                                "assistant.threads.setStatus",
                                TOKEN,
                                "channel_id",
                                "C1",
                                "thread_ts",
                                question,
                                "status",
                                status,
                                "loading_messages",
                                eleven)
                        .error())
                .isEqualTo("invalid_arguments");
        assertThat(api.form(
                                "assistant.threads.setStatus",
                                null,
                                "channel_id",
                                "C1",
                                "thread_ts",
                                question,
                                "status",
                                status)
                        .error())
                .isEqualTo("not_authed");
        assertThat(slack.recordings().threadStatuses("C1", question)).isEmpty();
    }

    /** A clock the test moves by hand. */
    private static final class StepClock extends Clock {
        private volatile Instant now;

        StepClock(Instant start) {
            now = start;
        }

        void step(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
