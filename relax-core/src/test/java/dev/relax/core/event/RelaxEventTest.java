/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relax.core.Golden;
import dev.relax.core.json.RelaxJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelaxEventTest {

    /** A switch with no default: it compiles only while it names every permitted type. */
    private static String describe(RelaxEvent e) {
        return switch (e) {
            case MessageNew m -> "new " + m.userUid() + " " + m.channelUid() + " " + m.text() + " " + m.ts();
            case MessageEdited m -> "edited " + m.ts() + " " + m.text();
            case MessageDeleted m -> "deleted " + m.deletedTs() + " " + m.text();
            case ReactionAdded r -> "reacted " + r.reaction() + " " + r.itemTs();
            case ReactionRemoved r -> "unreacted " + r.reaction() + " " + r.itemTs();
            case TeamJoined t -> "joined " + t.userUid();
            case ImCreated i -> "im " + i.channelUid() + " " + i.userUid();
            case ChannelJoined c -> "channel " + c.channelUid();
            case DisableBot d -> "disabled " + d.teamUid();
            case SlashCommand c -> "slash " + c.command() + " " + c.text();
            case Interaction i -> "interaction " + i.interactionType();
            case SlackEvent s -> "slack " + s.slackType();
            case UnknownEvent u -> "unknown " + u.type();
        };
    }

    @Test
    void everyGoldenEventGetsItsTypedView() {
        List<String> described = Golden.cases().stream()
                .filter(c -> c.relaxEventRaw() != null)
                .map(c -> describe(RelaxJson.decodeTypedEvent(c.relaxEventRaw())))
                .toList();

        assertThat(described).noneMatch(d -> d.startsWith("unknown"));
        assertThat(described)
                .anyMatch(d -> d.startsWith("new "))
                .anyMatch(d -> d.startsWith("edited "))
                .anyMatch(d -> d.startsWith("deleted "))
                .anyMatch(d -> d.startsWith("reacted thumbsup"))
                .anyMatch(d -> d.startsWith("unreacted "))
                .anyMatch(d -> d.startsWith("joined U"))
                .anyMatch(d -> d.startsWith("im D"))
                .anyMatch(d -> d.startsWith("channel "))
                .anyMatch(d -> d.startsWith("disabled T"));
    }

    @Test
    void typedAccessorsNameWhatTheWireFieldsMean() {
        WireEvent wire = WireEvent.builder("reaction_added")
                .userUid("U1")
                .channelUid("C1")
                .text("+1")
                .timestamp("1.2")
                .eventTimestamp("1.3")
                .teamUid("T1")
                .build();

        ReactionAdded r = (ReactionAdded) RelaxEvent.of(wire);

        assertThat(r.reaction()).isEqualTo("+1");
        assertThat(r.itemTs()).isEqualTo("1.2");
        assertThat(r.eventTimestamp()).isEqualTo("1.3");
        assertThat(r.teamUid()).isEqualTo("T1");
        assertThat(r.wire()).isSameAs(wire);
    }

    @Test
    void mentionIsDetectedFromTheBotUid() {
        MessageNew m = new MessageNew(WireEvent.builder("message_new")
                .text("hey <@UBOT> deploy")
                .relaxBotUid("UBOT")
                .build());
        MessageNew plain = new MessageNew(WireEvent.builder("message_new")
                .text("hey all")
                .relaxBotUid("UBOT")
                .build());

        MessageNew other = new MessageNew(WireEvent.builder("message_new")
                .text("hey <@UBOT2> deploy")
                .relaxBotUid("UBOT")
                .build());
        MessageNew named = new MessageNew(WireEvent.builder("message_new")
                .text("hey <@UBOT|relaxbot>")
                .relaxBotUid("UBOT")
                .build());

        assertThat(m.mentionsBot()).isTrue();
        assertThat(named.mentionsBot()).isTrue();
        assertThat(plain.mentionsBot()).isFalse();
        assertThat(other.mentionsBot())
                .as("a longer id that starts with the bot's")
                .isFalse();
    }

    @Test
    void unknownTypeIsKeptWholeForAnOlderConsumer() {
        String newer =
                "{\"type\":\"app_home_opened\",\"user_uid\":\"U1\",\"team_uid\":\"T1\",\"payload\":{\"tab\":\"home\"}}";

        RelaxEvent e = RelaxJson.decodeTypedEvent(newer);

        assertThat(e).isInstanceOf(UnknownEvent.class);
        assertThat(e.type()).isEqualTo("app_home_opened");
        assertThat(e.wire().extraJson()).containsEntry("payload", "{\"tab\":\"home\"}");
    }

    @Test
    void recordRefusesAnEventOfAnotherType() {
        assertThatThrownBy(() -> new MessageNew(WireEvent.builder("disable_bot").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an event of type message_new, got disable_bot");
    }

    @Test
    void toBuilderCopiesEveryField() {
        WireEvent e = RelaxJson.decodeEvent(Golden.named("message_attachments").relaxEventRaw());
        assertThat(e.toBuilder().build()).isEqualTo(e);
        assertThat(e.toBuilder().namespace("x").build().namespace()).isEqualTo("x");
    }
}
