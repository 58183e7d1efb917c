/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.client.WebApiCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerWriterTest {
    private static final AnswerTarget TARGET = new AnswerTarget("A1", "T1", "C1", "1700000000.000100", "U1");

    private final MutableClock clock = new MutableClock();
    private final FakeSlackCalls slack = new FakeSlackCalls();

    private AnswerWriter writer(AnswerSettings settings) {
        AnswerWriter writer = new AnswerWriter(TARGET, slack, settings, clock);
        writer.begin(true);
        return writer;
    }

    private AnswerWriter writer() {
        return writer(AnswerSettings.defaults());
    }

    @Test
    void streamsChunksInBufferedAppendsNeverOneCallPerChunk() {
        AnswerWriter writer = writer();

        for (int i = 0; i < 250; i++) {
            writer.append("abcd ");
            clock.advance(Duration.ofMillis(2));
            writer.tick();
        }
        writer.finish();

        assertThat(slack.methods())
                .containsExactly("chat.startStream", "chat.appendStream", "chat.appendStream", "chat.stopStream");
        assertThat(slack.texts())
                .containsExactly("abcd ", "abcd ".repeat(100), "abcd ".repeat(100), "abcd ".repeat(49));
        WebApiCall start = slack.calls().getFirst();
        assertThat(start.params())
                .containsEntry("channel", "C1")
                .containsEntry("thread_ts", "1700000000.000100")
                .containsEntry("recipient_user_id", "U1")
                .containsEntry("recipient_team_id", "T1");
        assertThat(slack.calls().subList(1, 4))
                .allSatisfy(c -> assertThat(c.params()).containsEntry("ts", "1700000000.000001"));
        assertThat(writer.done()).isCompletedWithValue(true);
    }

    @Test
    void aQuietBufferIsAppendedOnceTheIntervalHasPassed() {
        AnswerWriter writer = writer();
        writer.append("Thinking");
        writer.append("...");

        clock.advance(Duration.ofMillis(999));
        writer.tick();
        assertThat(slack.methods()).containsExactly("chat.startStream");

        clock.advance(Duration.ofMillis(1));
        writer.tick();
        writer.tick();
        assertThat(slack.methods()).containsExactly("chat.startStream", "chat.appendStream");
        assertThat(slack.texts()).containsExactly("Thinking", "...");
    }

    @Test
    void textArrivingWhileACallIsInFlightGoesInTheNextCall() {
        AnswerWriter writer = writer();
        slack.hold();
        writer.append("a");
        for (int i = 0; i < 60; i++) {
            writer.append("0123456789");
        }
        assertThat(slack.methods()).containsExactly("chat.startStream");

        slack.release();

        assertThat(slack.methods()).containsExactly("chat.startStream", "chat.appendStream");
        assertThat(slack.texts().get(1)).isEqualTo("0123456789".repeat(60));
    }

    @Test
    void withoutStreamingTheAnswerIsPostedThenUpdatedAtMostOnceASecond() {
        slack.fail("chat.startStream", "missing_scope");
        AnswerWriter writer = writer();

        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String chunk = "w" + i + " ";
            all.append(chunk);
            writer.append(chunk);
            clock.advance(Duration.ofMillis(100));
            writer.tick();
        }
        writer.finish();

        // 3 s of chunks: the post, an update at 1 s, 2 s and 3 s (the last one also the final text).
        assertThat(slack.methods())
                .containsExactly("chat.startStream", "chat.postMessage", "chat.update", "chat.update", "chat.update");
        assertThat(slack.texts().get(1)).isEqualTo("w0 ");
        assertThat(slack.texts().getLast()).isEqualTo(all.toString());
        assertThat(slack.calls().get(2).params()).containsEntry("ts", "1700000000.000001");
        assertThat(writer.done()).isCompletedWithValue(true);
    }

    @Test
    void anAnswerCompleteWhenStreamingIsRefusedIsOnePostedMessage() {
        slack.fail("chat.startStream", "not_allowed_token_type");
        slack.hold();
        AnswerWriter writer = writer();
        writer.append("The whole ");
        writer.append("answer.");
        writer.finish();

        slack.release();

        assertThat(slack.methods()).containsExactly("chat.startStream", "chat.postMessage");
        assertThat(slack.texts()).containsExactly("The whole ", "The whole answer.");
        assertThat(writer.done()).isCompletedWithValue(true);
    }

    @Test
    void aStreamThatStopsAcceptingTextContinuesInAPostedMessage() {
        AnswerWriter writer = writer();
        writer.append("first ");
        slack.fail("chat.appendStream", "message_not_in_streaming_state");
        writer.append("x".repeat(500));
        writer.finish();

        assertThat(slack.methods()).containsExactly("chat.startStream", "chat.appendStream", "chat.postMessage");
        assertThat(slack.texts().getLast()).isEqualTo("x".repeat(500));
        assertThat(writer.done()).isCompletedWithValue(true);
    }

    @Test
    void aLongStreamedAnswerContinuesInNewMessagesUnderTheLimit() {
        AnswerWriter writer =
                writer(new AnswerSettings(500, Duration.ofSeconds(1), Duration.ofSeconds(1), false, 1000, 40_000));
        String answer = "x".repeat(2500);
        for (int i = 0; i < 25; i++) {
            writer.append(answer.substring(i * 100, i * 100 + 100));
        }
        writer.finish();

        List<String> messages = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (WebApiCall call : slack.calls()) {
            current.append(call.params().getOrDefault("markdown_text", ""));
            if (call.method().equals("chat.stopStream")) {
                messages.add(current.toString());
                current.setLength(0);
            }
        }
        assertThat(current).isEmpty();
        assertThat(messages).hasSize(3).allSatisfy(m -> assertThat(m.length()).isLessThanOrEqualTo(1000));
        assertThat(String.join("", messages)).isEqualTo(answer);
        assertThat(slack.methods()).filteredOn("chat.startStream"::equals).hasSize(3);
    }

    @Test
    void aLongPostedAnswerIsCutAtAWordIntoSeveralMessages() {
        AnswerWriter writer =
                writer(new AnswerSettings(500, Duration.ofSeconds(1), Duration.ofSeconds(1), false, 1000, 100));
        writer.begin(false);
        String answer = "word ".repeat(50);
        writer.append(answer);
        writer.finish();

        assertThat(slack.methods()).containsExactly("chat.postMessage", "chat.postMessage", "chat.postMessage");
        assertThat(slack.texts()).containsExactly("word ".repeat(20), "word ".repeat(20), "word ".repeat(10));
    }

    @Test
    void broadcastMentionsBecomePlainTextEvenWhenSplitAcrossChunks() {
        AnswerWriter writer = writer();
        writer.append("Hey <!chan");
        writer.append("nel>, <!here|here> and <!everyone>; <!subteam^S123|@oncall> and <!subteam^S9>, not <@U1> <");
        writer.append("!date^1700000000^{date}|today>.");
        writer.finish();

        assertThat(String.join("", slack.texts()))
                .isEqualTo(
                        "Hey @channel, @here and @everyone; @oncall and @S9, not <@U1> <!date^1700000000^{date}|today>.");
    }

    @Test
    void broadcastsStayWhenAllowed() {
        AnswerWriter writer =
                writer(new AnswerSettings(500, Duration.ofSeconds(1), Duration.ofSeconds(1), true, 12_000, 40_000));
        writer.append("Hey <!chan");
        writer.append("nel>");
        writer.finish();

        assertThat(String.join("", slack.texts())).isEqualTo("Hey <!channel>");
    }

    @Test
    void aFailureFinishesTheStreamThenPostsOneFriendlyError() {
        AnswerWriter writer = writer();
        writer.append("The deploy ");
        writer.append("is");
        writer.fail("Sorry, the backend failed to answer.");
        writer.append("late chunk");
        writer.finish();

        assertThat(slack.methods()).containsExactly("chat.startStream", "chat.stopStream", "chat.postMessage");
        assertThat(slack.texts()).containsExactly("The deploy ", "is", "Sorry, the backend failed to answer.");
        assertThat(slack.calls().getLast().params()).containsEntry("thread_ts", "1700000000.000100");
        assertThat(writer.done()).isCompletedWithValue(true);
    }

    @Test
    void aFailureBeforeAnyTextIsTheErrorAlone() {
        AnswerWriter writer = writer();
        writer.fail("Sorry, the backend is not answering.");

        assertThat(slack.methods()).containsExactly("chat.postMessage");
        assertThat(writer.done()).isCompletedWithValue(true);
    }

    @Test
    void aMessageSlackRefusesEndsTheAnswerUndelivered() {
        slack.fail("chat.startStream", "not_in_channel");
        slack.fail("chat.postMessage", "not_in_channel");
        AnswerWriter writer = writer();
        writer.append("hello");
        writer.append(" again");
        writer.finish();

        assertThat(slack.methods()).containsExactly("chat.startStream", "chat.postMessage");
        assertThat(writer.done()).isCompletedWithValue(false);
    }
}
