/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.core.Golden;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameParserTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:15:42.123456789Z"), ZoneOffset.UTC);

    static Stream<Golden.Case> frames() {
        return Golden.cases().stream().filter(c -> c.slackFrame() != null);
    }

    @ParameterizedTest
    @MethodSource("frames")
    void translatesEveryGoldenFrameToTheSameEventJsonAsJacksonsWholeTree(Golden.Case golden) throws Exception {
        RtmTranslator translator = new RtmTranslator(
                CLOCK, "true".equals(golden.env().get("RELAX_SEND_BOT_REPLIES")), MAPPER.getFactory());
        BotIdentity bot = new BotIdentity(new BotId("T024BE7LD", ""), "U0BOT");

        Translated fromTree = translator.translate(bot, MAPPER.readTree(golden.slackFrame()));
        Translated fromParser = translator.translate(bot, FrameParser.parse(MAPPER.getFactory(), golden.slackFrame()));

        if (fromTree == null) {
            assertThat(fromParser).isNull();
        } else {
            assertThat(RelaxJson.encodeEvent(fromParser.event())).isEqualTo(RelaxJson.encodeEvent(fromTree.event()));
            assertThat(fromParser.dedupe()).isEqualTo(fromTree.dedupe());
        }
    }

    @Test
    void leavesOutTheBlocksOfAMessageFrameAndKeepsEverythingElse() throws Exception {
        String frame = "{\"type\":\"message\",\"channel\":\"C1\",\"text\":\"hi\",\"n\":12,\"big\":12345678901,"
                + "\"f\":1.5,\"ok\":true,\"no\":null,\"blocks\":[{\"type\":\"rich_text\",\"elements\":[]}],"
                + "\"subtype\":\"message_changed\",\"message\":{\"text\":\"hi\",\"blocks\":[{\"type\":\"x\"}],"
                + "\"attachments\":[{\"text\":\"a\",\"ts\":1700000000}]}}";

        ObjectNode expected = (ObjectNode) MAPPER.readTree(frame);
        expected.remove("blocks");
        ((ObjectNode) expected.get("message")).remove("blocks");

        assertThat(FrameParser.parse(MAPPER.getFactory(), frame)).isEqualTo(expected);
    }

    @Test
    void readsRepliesAndOtherTypesWhole() throws Exception {
        String reply = "{\"ok\":true,\"reply_to\":7,\"ts\":\"1.2\",\"blocks\":[{\"type\":\"section\"}]}";
        String envelope = "{\"type\":\"events_api\",\"envelope_id\":\"e1\",\"payload\":{\"event\":"
                + "{\"type\":\"message\",\"blocks\":[{\"type\":\"section\"}]}}}";
        String typeAfterBlocks = "{\"blocks\":[{\"type\":\"section\"}],\"type\":\"message\"}";

        for (String frame : new String[] {reply, envelope, typeAfterBlocks}) {
            JsonNode parsed = FrameParser.parse(MAPPER.getFactory(), frame);
            assertThat(parsed).isEqualTo(MAPPER.readTree(frame));
            assertThat(parsed.toString()).isEqualTo(MAPPER.readTree(frame).toString());
        }
    }

    @Test
    void givesNullForWhatIsNotAnObjectAndFailsOnBrokenJson() throws Exception {
        assertThat(FrameParser.parse(MAPPER.getFactory(), "")).isNull();
        assertThat(FrameParser.parse(MAPPER.getFactory(), "[1]")).isNull();
        assertThat(FrameParser.parse(MAPPER.getFactory(), "\"text\"")).isNull();
        assertThatThrownBy(() -> FrameParser.parse(MAPPER.getFactory(), "{\"type\":\"message\",\"a\":[1,"))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> FrameParser.parse(MAPPER.getFactory(), "{\"type\":"))
                .isInstanceOf(JsonProcessingException.class);
    }
}
