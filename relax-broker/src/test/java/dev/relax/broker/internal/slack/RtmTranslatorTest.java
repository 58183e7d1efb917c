/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.protocol.BotId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RtmTranslatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BotIdentity BOT = new BotIdentity(new BotId("T1", "ns"), "UBOT");

    private static Translated translate(Clock clock, String frame) throws Exception {
        return new RtmTranslator(clock, false, JSON.getFactory()).translate(BOT, JSON.readTree(frame));
    }

    private static Translated translate(String frame) throws Exception {
        return translate(Clock.systemUTC(), frame);
    }

    @Test
    void dedupeIdOfEveryEventComesFromSlackNotFromTheClock() throws Exception {
        String[] frames = {
            "{\"type\":\"message\",\"user\":\"U1\",\"channel\":\"C1\",\"text\":\"hi\",\"ts\":\"1.1\"}",
            "{\"type\":\"team_join\",\"user\":{\"id\":\"U9\"}}",
            "{\"type\":\"im_created\",\"user\":\"U1\",\"channel\":{\"id\":\"D1\"}}",
            "{\"type\":\"reaction_added\",\"user\":\"U1\",\"reaction\":\"+1\",\"item\":{\"channel\":\"C1\",\"ts\":\"1.1\"},\"event_ts\":\"2.2\"}",
        };
        Clock a = Clock.fixed(Instant.parse("2026-01-01T00:00:01Z"), ZoneOffset.UTC);
        Clock b = Clock.fixed(Instant.parse("2026-01-01T00:00:02.5Z"), ZoneOffset.UTC);
        for (String frame : frames) {
            // Two brokers seeing the same frame a moment apart must agree on the id.
            assertThat(translate(a, frame).dedupe().boundedKey("m"))
                    .as(frame)
                    .isEqualTo(translate(b, frame).dedupe().boundedKey("m"));
        }
    }

    @Test
    void differentMessagesGetDifferentDedupeIds() throws Exception {
        Translated one =
                translate("{\"type\":\"message\",\"user\":\"U1\",\"channel\":\"C1\",\"text\":\"a\",\"ts\":\"1.1\"}");
        Translated other =
                translate("{\"type\":\"message\",\"user\":\"U1\",\"channel\":\"C2\",\"text\":\"a\",\"ts\":\"1.1\"}");
        assertThat(one.dedupe().boundedKey("m")).isNotEqualTo(other.dedupe().boundedKey("m"));
    }

    @Test
    void hashModeFieldsAreTheGoBrokersAndBoundedKeysNameTheBot() throws Exception {
        Translated message =
                translate("{\"type\":\"message\",\"user\":\"U1\",\"channel\":\"C1\",\"text\":\"a\",\"ts\":\"1.1\"}");
        Translated reaction = translate("{\"type\":\"reaction_added\",\"user\":\"U1\",\"reaction\":\"+1\","
                + "\"item\":{\"channel\":\"C1\",\"ts\":\"1.1\"},\"event_ts\":\"2.2\"}");

        assertThat(message.dedupe().hashField()).isEqualTo("bot_message:C1:1.1");
        assertThat(message.dedupe().boundedKey("m")).isEqualTo("m:ns-T1:message_new:C1:1.1");
        assertThat(reaction.dedupe().hashField()).isEqualTo("bot_message:C1:2.2");
        assertThat(reaction.dedupe().boundedKey("m")).isEqualTo("m:ns-T1:reaction_added:C1:2.2");
    }

    @Test
    void directMessageChannelsAreIm() throws Exception {
        assertThat(translate("{\"type\":\"message\",\"user\":\"U1\",\"channel\":\"D9\",\"text\":\"x\",\"ts\":\"1.1\"}")
                        .event()
                        .im())
                .isTrue();
        assertThat(translate("{\"type\":\"message\",\"user\":\"U1\",\"channel\":\"G9\",\"text\":\"x\",\"ts\":\"1.1\"}")
                        .event()
                        .im())
                .isFalse();
    }

    @Test
    void eventsCarryTheBotsTeamNamespaceAndOwnId() throws Exception {
        Translated t = translate(
                "{\"type\":\"message\",\"user\":\"U1\",\"channel\":\"C1\",\"text\":\"x\",\"ts\":\"1.1\",\"team\":\"TOTHER\"}");
        assertThat(t.event().teamUid()).isEqualTo("T1");
        assertThat(t.event().namespace()).isEqualTo("ns");
        assertThat(t.event().relaxBotUid()).isEqualTo("UBOT");
    }

    @Test
    void framesRelaxDoesNotReportGiveNothing() throws Exception {
        assertThat(translate("{\"type\":\"hello\"}")).isNull();
        assertThat(translate("{\"type\":\"presence_change\",\"user\":\"U1\"}")).isNull();
        assertThat(translate("{\"ok\":true,\"reply_to\":3,\"ts\":\"1.1\",\"text\":\"hi\"}"))
                .isNull();
        assertThat(
                        translate(
                                "{\"type\":\"message\",\"subtype\":\"bot_message\",\"bot_id\":\"B1\",\"channel\":\"C1\",\"ts\":\"1.1\"}"))
                .isNull();
        assertThat(
                        translate(
                                "{\"type\":\"message\",\"subtype\":\"channel_join\",\"user\":\"U1\",\"channel\":\"C1\",\"ts\":\"1.1\"}"))
                .isNull();
    }

    @Test
    void framesMissingTheirObjectGiveNothingInsteadOfFailing() throws Exception {
        assertThat(translate("{\"type\":\"message\",\"subtype\":\"message_changed\",\"channel\":\"C1\",\"ts\":\"1\"}"))
                .isNull();
        assertThat(translate("{\"type\":\"reaction_added\",\"user\":\"U1\",\"reaction\":\"x\"}"))
                .isNull();
        assertThat(translate("{\"type\":\"team_join\",\"user\":\"U1\"}")).isNull();
        assertThat(translate("{\"type\":\"im_created\",\"channel\":\"D1\"}")).isNull();
        assertThat(translate("{\"type\":\"channel_joined\",\"channel\":[]}")).isNull();
    }

    @Test
    void messageByTheBotIsReportedWhenBotRepliesAreWanted() throws Exception {
        String frame = "{\"type\":\"message\",\"user\":\"UBOT\",\"channel\":\"C1\",\"text\":\"done\",\"ts\":\"1.1\"}";
        assertThat(translate(frame)).isNull();
        assertThat(new RtmTranslator(Clock.systemUTC(), true, JSON.getFactory()).translate(BOT, JSON.readTree(frame)))
                .isNotNull();
    }

    @Test
    void messageWithoutTsGetsTheBrokersClockAsEventTimestamp() throws Exception {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000, 5), ZoneOffset.UTC);
        Translated t = translate(clock, "{\"type\":\"message\",\"user\":\"U1\",\"channel\":\"C1\",\"text\":\"x\"}");
        assertThat(t.event().eventTimestamp()).isEqualTo("1700000000000000005");
    }
}
