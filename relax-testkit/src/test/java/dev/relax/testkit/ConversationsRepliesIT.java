/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** conversations.replies over HTTP: https://api.slack.com/methods/conversations.replies */
class ConversationsRepliesIT {
    private static final String TOKEN = "xoxb-bot-1";

    private SlackSimulator slack;
    private SlackApi api;
    private Workspace ws;
    private User alice;
    private Bot bot;
    private Channel general;
    private String question;
    private String answer;
    private String followUp;

    @BeforeEach
    void start() {
        // A fixed clock: every ts is 1767225600.00000n, in the order the messages were posted.
        slack = SlackSimulator.builder()
                .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
                .start();
        api = new SlackApi(slack);
        ws = slack.workspace("T1");
        alice = ws.user("U1", "alice");
        general = ws.channel("C1", "general");
        bot = ws.bot(TOKEN, "UBOT", "relaxbot");
        question = ws.as(alice).post(general, "what is the status?");
        answer = api.form("chat.postMessage", TOKEN, "channel", "C1", "thread_ts", question, "text", "All green.")
                .json()
                .path("ts")
                .asText();
        followUp = ws.as(alice).reply(general, question, "thanks!");
    }

    @AfterEach
    void stop() {
        api.close();
        slack.close();
    }

    @Test
    void listsTheParentAndItsRepliesOldestFirst() {
        SlackApi.Reply reply = api.form("conversations.replies", TOKEN, "channel", "C1", "ts", question);

        assertThat(reply.ok()).as(reply.json().toString()).isTrue();
        assertThat(List.of(question, answer, followUp))
                .containsExactly("1767225600.000000", "1767225600.000001", "1767225600.000002");
        JsonNode messages = reply.json().path("messages");
        assertThat(field(messages, "ts")).containsExactly(question, answer, followUp);
        assertThat(field(messages, "text")).containsExactly("what is the status?", "All green.", "thanks!");
        assertThat(field(messages, "user")).containsExactly("U1", "UBOT", "U1");
        JsonNode parent = messages.get(0);
        assertThat(parent.path("thread_ts").asText()).isEqualTo(question);
        assertThat(parent.path("reply_count").asInt()).isEqualTo(2);
        assertThat(parent.path("reply_users_count").asInt()).isEqualTo(2);
        assertThat(parent.path("latest_reply").asText()).isEqualTo(followUp);
        assertThat(field(parent.path("reply_users"), null)).containsExactly("UBOT", "U1");
        assertThat(messages.get(1).path("thread_ts").asText()).isEqualTo(question);
        assertThat(messages.get(1).path("parent_user_id").asText()).isEqualTo("U1");
        assertThat(messages.get(1).path("bot_id").asText()).isEqualTo("BBOT");
        assertThat(reply.json().path("has_more").asBoolean(true)).isFalse();
        assertThat(reply.json().path("response_metadata").path("next_cursor").asText("absent"))
                .isEmpty();
    }

    @Test
    void theTsOfAReplyListsItsWholeThread() {
        SlackApi.Reply reply =
                api.json("conversations.replies", TOKEN, "{\"channel\":\"C1\",\"ts\":\"" + answer + "\"}");

        assertThat(field(reply.json().path("messages"), "ts")).containsExactly(question, answer, followUp);
    }

    @Test
    void aMessageWithoutRepliesComesBackAlone() {
        String lonely = ws.as(alice).post(general, "anyone?");

        JsonNode messages = api.form("conversations.replies", TOKEN, "channel", "C1", "ts", lonely)
                .json()
                .path("messages");

        assertThat(field(messages, "ts")).containsExactly(lonely);
        assertThat(messages.get(0).has("thread_ts")).isFalse();
        assertThat(messages.get(0).has("reply_count")).isFalse();
    }

    @Test
    void pagesFollowTheCursorUntilHasMoreIsFalse() {
        SlackApi.Reply first = api.form("conversations.replies", TOKEN, "channel", "C1", "ts", question, "limit", "2");
        String cursor =
                first.json().path("response_metadata").path("next_cursor").asText();
        SlackApi.Reply second = api.form(
                "conversations.replies", TOKEN, "channel", "C1", "ts", question, "limit", "2", "cursor", cursor);

        assertThat(field(first.json().path("messages"), "ts")).containsExactly(question, answer);
        assertThat(first.json().path("has_more").asBoolean()).isTrue();
        assertThat(cursor).isNotEmpty();
        assertThat(field(second.json().path("messages"), "ts")).containsExactly(followUp);
        assertThat(second.json().path("has_more").asBoolean(true)).isFalse();
        assertThat(second.json().path("response_metadata").path("next_cursor").asText("absent"))
                .isEmpty();
    }

    @Test
    void oldestLatestAndInclusiveNarrowTheRange() {
        assertThat(tsOf("oldest", answer)).containsExactly(followUp);
        assertThat(tsOf("oldest", answer, "inclusive", "true")).containsExactly(answer, followUp);
        assertThat(tsOf("latest", answer)).containsExactly(question);
        assertThat(tsOf("latest", answer, "inclusive", "1")).containsExactly(question, answer);
        assertThat(tsOf("oldest", question, "latest", followUp)).containsExactly(answer);
    }

    @Test
    void refusesWhatTheDocumentedErrorsName() {
        Bot other = ws.bot("xoxb-bot-2", "UOTHER", "otherbot");
        Channel othersIm = ws.im(alice, other);
        String inIm = ws.as(alice).post(othersIm, "hi other");

        assertThat(error("channel", "C9", "ts", question)).isEqualTo("channel_not_found");
        assertThat(error("channel", othersIm.id(), "ts", inIm)).isEqualTo("channel_not_found");
        assertThat(error("channel", "C1", "ts", "1.000000")).isEqualTo("thread_not_found");
        assertThat(error("channel", "C1")).isEqualTo("thread_not_found");
        assertThat(error("channel", "C1", "ts", question, "cursor", "bm90LWEtY3Vyc29y"))
                .isEqualTo("invalid_cursor");
        assertThat(error("channel", "C1", "ts", question, "oldest", "yesterday"))
                .isEqualTo("invalid_ts_oldest");
        assertThat(error("channel", "C1", "ts", question, "latest", "now")).isEqualTo("invalid_ts_latest");
    }

    @Test
    void aBotThatLeftAChannelCannotReadItsThreads() {
        ws.botLeaves(bot, general);

        assertThat(error("channel", "C1", "ts", question)).isEqualTo("not_in_channel");

        Channel secret = ws.privateGroup("G1", "secret");
        String hidden = ws.as(alice).post(secret, "psst");
        ws.botLeaves(bot, secret);
        assertThat(error("channel", "G1", "ts", hidden)).isEqualTo("channel_not_found");
    }

    private List<String> tsOf(String... nameValues) {
        String[] args = new String[nameValues.length + 4];
        args[0] = "channel";
        args[1] = "C1";
        args[2] = "ts";
        args[3] = question;
        System.arraycopy(nameValues, 0, args, 4, nameValues.length);
        SlackApi.Reply reply = api.form("conversations.replies", TOKEN, args);
        assertThat(reply.ok()).as(reply.json().toString()).isTrue();
        return field(reply.json().path("messages"), "ts");
    }

    private String error(String... nameValues) {
        return api.form("conversations.replies", TOKEN, nameValues).error();
    }

    /** A field of each element of an array, or each element itself when {@code name} is null. */
    private static List<String> field(JsonNode array, String name) {
        List<String> values = new ArrayList<>();
        array.forEach(item ->
                values.add(name == null ? item.asText() : item.path(name).asText()));
        return values;
    }
}
