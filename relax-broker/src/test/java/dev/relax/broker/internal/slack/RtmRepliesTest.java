/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.CallOutcome;
import dev.relax.core.protocol.Command;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtmRepliesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<CallOutcome> results = new ArrayList<>();
    private long now;
    private final RtmReplies replies = new RtmReplies(results::add, () -> now);

    private static Command.SendMessage message(String id, int frameId, boolean wantsResult) {
        return new Command.SendMessage(
                BotId.of("T1"),
                id,
                "{\"id\":" + frameId + ",\"type\":\"message\",\"channel\":\"C1\",\"text\":\"hi\"}",
                wantsResult);
    }

    @Test
    void slacksAnswerToAFrameBecomesTheCommandsResult() throws Exception {
        replies.sent(message("m1", 7, true));

        boolean taken = replies.answered(
                JSON.readTree("{\"ok\":true,\"reply_to\":7,\"ts\":\"1700000000.000100\",\"text\":\"hi\"}"));

        assertThat(taken).isTrue();
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(List.of(r.id(), r.method(), r.channel(), r.ts(), r.error()))
                    .containsExactly("m1", "message", "C1", "1700000000.000100", "");
            assertThat(r.ok()).isTrue();
        });
    }

    @Test
    void anErrorAnswerCarriesSlacksMessageAndOtherFramesAreNotTaken() throws Exception {
        replies.sent(message("m2", 8, true));

        assertThat(replies.answered(JSON.readTree("{\"type\":\"message\",\"channel\":\"C1\",\"text\":\"x\"}")))
                .isFalse();
        assertThat(replies.answered(JSON.readTree("{\"type\":\"pong\",\"reply_to\":3}")))
                .isFalse();
        assertThat(replies.answered(JSON.readTree(
                        "{\"ok\":false,\"reply_to\":8,\"error\":{\"code\":-1,\"msg\":\"invalid channel id\"}}")))
                .isTrue();

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.error()).isEqualTo("invalid channel id");
        });
    }

    @Test
    void aFrameUnansweredForThirtySecondsEndsAsNoReplyAndMessagesWithoutResultAreNotTracked() {
        replies.sent(message("m3", 9, true));
        replies.sent(message("m4", 10, false));
        now += RtmReplies.PATIENCE.toNanos() + 1;

        replies.sent(message("m5", 11, true));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("m3");
            assertThat(r.error()).isEqualTo("no_reply");
        });
    }
}
