/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.core.event.MessageNew;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.relay.internal.Triggers.Kind;
import dev.relax.relay.internal.Triggers.Question;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggersTest {
    private static final Triggers.AnsweredThreads NONE = (team, channel, thread) -> false;
    private static final Triggers.AnsweredThreads ALL = (team, channel, thread) -> true;

    private static MessageNew message(
            String user, String channel, boolean im, String text, String ts, String threadTs) {
        WireEvent.Builder wire = WireEvent.builder("message_new")
                .userUid(user)
                .channelUid(channel)
                .teamUid("T1")
                .im(im)
                .text(text)
                .relaxBotUid("UBOT")
                .timestamp(ts)
                .eventTimestamp(ts)
                .extraJson("relax_app_id", "\"A1\"");
        if (!threadTs.isEmpty()) {
            wire.extraJson("thread_ts", RelaxJson.quote(threadTs));
        }
        return new MessageNew(wire.build());
    }

    @Test
    void aMentionIsAQuestionWithoutTheMentionAnsweredInANewThreadUnderIt() {
        Optional<Question> q = new Triggers(false)
                .question(message("U1", "C1", false, "<@UBOT> what is the deploy status?", "1.000100", ""), NONE);

        assertThat(q).contains(new Question("what is the deploy status?", "1.000100", false, Kind.MENTION));
    }

    @Test
    void aMentionInsideAThreadIsAnsweredInThatThreadAndANamedMentionIsStrippedToo() {
        Optional<Question> q = new Triggers(false)
                .question(message("U1", "C1", false, "and <@UBOT|relaxbot> for <@U2>?", "2.000200", "1.000100"), NONE);

        assertThat(q).contains(new Question("and for <@U2>?", "1.000100", false, Kind.MENTION));
    }

    @Test
    void aDirectMessageIsAQuestionWithoutAMention() {
        Optional<Question> q =
                new Triggers(false).question(message("U1", "D1", true, "can you check staging?", "3.000300", ""), NONE);

        assertThat(q).contains(new Question("can you check staging?", "3.000300", true, Kind.DIRECT_MESSAGE));
    }

    @Test
    void aReplyInAThreadTheBotAnsweredIsAQuestionOnlyWhenFollowingThreads() {
        MessageNew reply = message("U1", "C1", false, "and production?", "4.000400", "1.000100");

        assertThat(new Triggers(true).question(reply, ALL))
                .contains(new Question("and production?", "1.000100", false, Kind.THREAD_FOLLOW_UP));
        assertThat(new Triggers(false).question(reply, ALL)).isEmpty();
        assertThat(new Triggers(true).question(reply, NONE)).isEmpty();
    }

    @Test
    void everythingElseIsIgnored() {
        Triggers triggers = new Triggers(true);

        assertThat(triggers.question(message("U1", "C1", false, "lunch?", "5.0", ""), ALL))
                .as("a top-level message without a mention")
                .isEmpty();
        assertThat(triggers.question(message("UBOT", "D1", true, "my own answer", "6.0", ""), ALL))
                .as("the bot's own message")
                .isEmpty();
        assertThat(triggers.question(message("U1", "C1", false, "<@UBOT>", "7.0", ""), ALL))
                .as("nothing but the mention")
                .isEmpty();
        MessageNew otherBot =
                new MessageNew(message("UOTHER", "C1", false, "<@UBOT> and you?", "8.0", "1.000100").wire().toBuilder()
                        .extraJson("bot_id", "\"BOTHER\"")
                        .build());
        assertThat(triggers.question(otherBot, ALL))
                .as("another bot's message, even one that mentions the bot")
                .isEmpty();
    }
}
