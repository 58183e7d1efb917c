/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Frame → event translation against the events the Go broker pushed for the same frames. */
class RtmTranslatorGoldenTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:42.123456789Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static Stream<Golden.Case> framesWithEvents() {
        return Golden.cases().stream().filter(c -> c.slackFrame() != null && c.relaxEvent() != null);
    }

    @ParameterizedTest
    @MethodSource("framesWithEvents")
    void translatesFrameToTheEventTheGoBrokerPushed(Golden.Case golden) throws Exception {
        Translated t = translator(golden).translate(identity(golden), MAPPER.readTree(golden.slackFrame()));

        assertThat(t).as("an event for %s", golden.name()).isNotNull();
        ObjectNode ours = (ObjectNode) MAPPER.readTree(RelaxJson.encodeEvent(t.event()));
        ObjectNode expected = golden.relaxEvent().deepCopy();
        for (String field : golden.generatedFields()) {
            assertShapeOfGenerated(golden, field, ours.get(field).asText());
            ours.remove(field);
            expected.remove(field);
        }
        if (golden.name().equals("message_deleted_with_previous_message")) {
            // Known difference (relax-core/src/test/resources/golden/README.md): we carry the deleted text and its
            // author.
            JsonNode previous = MAPPER.readTree(golden.slackFrame()).get("previous_message");
            assertThat(ours.remove("text").asText())
                    .isEqualTo(previous.get("text").asText());
            assertThat(ours.remove("user_uid").asText())
                    .isEqualTo(previous.get("user").asText());
            expected.remove("text");
            expected.remove("user_uid");
        }
        assertThat(ours).isEqualTo(expected);
    }

    @Test
    void attachmentsAreRebuiltByteForByteAsTheGoBrokerWritesThem() throws Exception {
        Golden.Case golden = Golden.named("message_attachments");

        Translated t = translator(golden).translate(identity(golden), MAPPER.readTree(golden.slackFrame()));

        // Go's raw string escapes <, > and &; Jackson's does not; compare the order-preserving re-serialisation.
        String goAttachments = MAPPER.writeValueAsString(golden.relaxEvent().get("attachments"));
        assertThat(t.event().attachmentsJson()).isEqualTo(goAttachments);
    }

    @Test
    void messageFromTheBotItselfIsDroppedByDefault() throws Exception {
        Golden.Case golden = Golden.named("message_from_bot_itself_default_env");
        assertThat(golden.relaxEvent()).isNull();

        Translated t = translator(golden).translate(identity(golden), MAPPER.readTree(golden.slackFrame()));

        assertThat(t).isNull();
    }

    @Test
    void disableBotMatchesTheGoBrokersEvent() throws Exception {
        Golden.Case golden = Golden.named("disable_bot_invalid_auth");

        Translated t = translator(golden).disableBot(new BotIdentity(botId(golden), ""));

        ObjectNode ours = (ObjectNode) MAPPER.readTree(RelaxJson.encodeEvent(t.event()));
        ObjectNode expected = golden.relaxEvent().deepCopy();
        assertThat(ours.remove("event_timestamp").asText()).isEqualTo(nanos(NOW));
        expected.remove("event_timestamp");
        assertThat(ours).isEqualTo(expected);
    }

    private static void assertShapeOfGenerated(Golden.Case golden, String field, String value) {
        String goValue = golden.relaxEvent().get(field).asText();
        if (goValue.startsWith("channel-joined-")) {
            String channel = golden.relaxEvent().get("channel_uid").asText();
            assertThat(value).isEqualTo("channel-joined-" + (NOW.getEpochSecond() / 60 * 60) + "-" + channel);
        } else {
            assertThat(value).matches("\\d{19}").isEqualTo(nanos(NOW));
            assertThat(goValue).matches("\\d{19}");
        }
    }

    private static String nanos(Instant i) {
        return Long.toString(i.getEpochSecond() * 1_000_000_000L + i.getNano());
    }

    private static RtmTranslator translator(Golden.Case golden) {
        boolean replies = "true".equals(golden.env().get("RELAX_SEND_BOT_REPLIES"));
        return new RtmTranslator(CLOCK, replies, MAPPER.getFactory());
    }

    private static BotId botId(Golden.Case golden) {
        return new BotId(
                golden.registration().get("team_id").asText(),
                golden.registration().path("namespace").asText(""));
    }

    private static BotIdentity identity(Golden.Case golden) {
        return new BotIdentity(
                botId(golden), golden.rtmStart().path("self").path("id").asText(""));
    }
}
