/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.Golden;
import dev.relax.core.event.WireEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RelaxJsonEventTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> CONTRACT_ORDER = List.of(
            "type",
            "user_uid",
            "channel_uid",
            "team_uid",
            "im",
            "text",
            "relax_bot_uid",
            "timestamp",
            "provider",
            "event_timestamp",
            "namespace",
            "attachments");

    static Stream<Golden.Case> goldenEvents() {
        return Golden.cases().stream().filter(c -> c.relaxEventRaw() != null);
    }

    @ParameterizedTest
    @MethodSource("goldenEvents")
    void goldenEventFromGoBrokerDecodesAndReencodesWithSameNamesTypesAndValues(Golden.Case golden) throws Exception {
        WireEvent event = RelaxJson.decodeEvent(golden.relaxEventRaw());
        String reencoded = RelaxJson.encodeEvent(event);

        JsonNode again = MAPPER.readTree(reencoded);
        assertThat(again).isEqualTo(golden.relaxEvent());
        assertThat(fieldNames(again)).containsExactlyElementsOf(fieldNames(golden.relaxEvent()));
        assertThat(event.extraJson()).isEmpty();
    }

    @Test
    void goldenMessageCarriesEachFieldToItsRecordComponent() {
        WireEvent e =
                RelaxJson.decodeEvent(Golden.named("message_namespaced_bot").relaxEventRaw());

        assertThat(e.type()).isEqualTo("message_new");
        assertThat(e.teamUid()).isEqualTo("T04F7R2CN");
        assertThat(e.namespace()).isEqualTo("support");
        assertThat(e.provider()).isEqualTo("slack");
        assertThat(e.relaxBotUid()).isEqualTo("U04RLX9BT");
        assertThat(e.timestamp()).isEqualTo(e.eventTimestamp()).isNotEmpty();
        assertThat(e.attachmentsJson()).isNull();
    }

    @Test
    void writesAllTwelveFieldsInContractOrderWithNullAttachments() throws Exception {
        String json = RelaxJson.encodeEvent(WireEvent.builder("team_joined")
                .userUid("U1")
                .teamUid("T1")
                .eventTimestamp("1700000000000000000")
                .build());

        JsonNode n = MAPPER.readTree(json);
        assertThat(fieldNames(n)).containsExactlyElementsOf(CONTRACT_ORDER);
        assertThat(n.get("attachments").isNull()).isTrue();
        assertThat(n.get("im").isBoolean()).isTrue();
        assertThat(n.get("text").asText()).isEmpty();
        assertThat(n.get("provider").asText()).isEqualTo("slack");
    }

    @Test
    void readsMissingFieldsAsEmptyAndFalse() {
        WireEvent e = RelaxJson.decodeEvent("{\"type\":\"message_new\",\"text\":\"hi\"}");

        assertThat(e.text()).isEqualTo("hi");
        assertThat(e.userUid()).isEmpty();
        assertThat(e.namespace()).isEmpty();
        assertThat(e.provider()).isEmpty();
        assertThat(e.im()).isFalse();
        assertThat(e.attachmentsJson()).isNull();
    }

    @Test
    void keepsFieldsItDoesNotKnowThroughARoundTrip() throws Exception {
        String newer = "{\"type\":\"slash_command\",\"user_uid\":\"U1\",\"im\":false,"
                + "\"payload\":{\"command\":\"/deploy\",\"text\":\"prod\"},\"retry\":2}";

        WireEvent e = RelaxJson.decodeEvent(newer);
        JsonNode out = MAPPER.readTree(RelaxJson.encodeEvent(e));

        assertThat(e.extraJson()).containsOnlyKeys("payload", "retry");
        assertThat(out.get("payload").get("command").asText()).isEqualTo("/deploy");
        assertThat(out.get("retry").asInt()).isEqualTo(2);
        assertThat(fieldNames(out).subList(0, 12)).containsExactlyElementsOf(CONTRACT_ORDER);
    }

    @Test
    void passesAttachmentsThroughUnchanged() throws Exception {
        String attachments = "[{\"fallback\":\"x\",\"fields\":[{\"title\":\"a\",\"value\":\"b\",\"short\":true}]}]";
        WireEvent e = RelaxJson.decodeEvent("{\"type\":\"message_new\",\"attachments\":" + attachments + "}");

        assertThat(MAPPER.readTree(e.attachmentsJson())).isEqualTo(MAPPER.readTree(attachments));
        assertThat(MAPPER.readTree(RelaxJson.encodeEvent(e)).get("attachments"))
                .isEqualTo(MAPPER.readTree(attachments));
    }

    @Test
    void readsImGivenAsString() {
        assertThat(RelaxJson.decodeEvent("{\"type\":\"message_new\",\"im\":\"true\"}")
                        .im())
                .isTrue();
    }

    @Test
    void malformedEventNamesLineColumnAndShowsExcerpt() {
        assertThatThrownBy(() -> RelaxJson.decodeEvent("{\"type\":\"message_new\",\"text\":\"hi\" \"user_uid\"}"))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageContaining("malformed event JSON at line 1, column")
                .hasMessageContaining("\"text\":\"hi\"");
    }

    @Test
    void eventThatIsNotAnObjectIsRejected() {
        assertThatThrownBy(() -> RelaxJson.decodeEvent("[1,2]"))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageContaining("invalid event: is not a JSON object");
        assertThatThrownBy(() -> RelaxJson.decodeEvent(""))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageContaining("is empty");
    }

    @Test
    void fieldOfWrongShapeIsNamed() {
        assertThatThrownBy(() -> RelaxJson.decodeEvent("{\"type\":\"message_new\",\"text\":{\"a\":1}}"))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageContaining("field 'text' must be a string, was an object");
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
