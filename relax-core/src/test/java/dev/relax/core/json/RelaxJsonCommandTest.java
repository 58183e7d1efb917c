/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.Golden;
import dev.relax.core.Secret;
import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Command;
import org.junit.jupiter.api.Test;

/** The command and registration examples of the contract and of the original README. */
class RelaxJsonCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void readmeTeamAddedWithoutNamespaceReadsAsBotWithEmptyNamespace() {
        Command c = RelaxJson.decodeCommand("{\"type\":\"team_added\",\"team_id\":\"TDEADBEEF\"}");

        assertThat(c).isEqualTo(new Command.TeamAdded(BotId.of("TDEADBEEF")));
        assertThat(((Command.BotCommand) c).bot().hashField()).isEqualTo("TDEADBEEF");
    }

    @Test
    void namespacedCommandsNameTheNamespacedHashField() throws Exception {
        String json = "{\"type\":\"team_removed\",\"team_id\":\"T1\",\"namespace\":\"support\"}";

        Command c = RelaxJson.decodeCommand(json);

        assertThat(c).isInstanceOf(Command.TeamRemoved.class);
        assertThat(((Command.BotCommand) c).bot().hashField()).isEqualTo("support-T1");
        assertThat(MAPPER.readTree(RelaxJson.encodeCommand(c))).isEqualTo(MAPPER.readTree(json));
    }

    @Test
    void rubyClientTypingIndicatorRoundTrips() throws Exception {
        String payload = "{\"id\":\"6f1c\",\"type\":\"typing\",\"channel\":\"C1\"}";
        String json = "{\"type\":\"message\",\"team_id\":\"T1\",\"namespace\":\"\",\"id\":\"6f1c\",\"payload\":"
                + MAPPER.writeValueAsString(payload) + "}";

        Command c = RelaxJson.decodeCommand(json);

        assertThat(c).isInstanceOfSatisfying(Command.SendMessage.class, m -> {
            assertThat(m.id()).isEqualTo("6f1c");
            assertThat(m.payload()).isEqualTo(payload);
            assertThat(m.mutexField()).isEqualTo("send_slack_message:6f1c");
        });
        assertThat(MAPPER.readTree(RelaxJson.encodeCommand(c))).isEqualTo(MAPPER.readTree(json));
    }

    @Test
    void messageWithoutIdReadsWithEmptyIdAndPayloadGivenAsObjectIsKeptAsJson() throws Exception {
        Command c = RelaxJson.decodeCommand(
                "{\"type\":\"message\",\"team_id\":\"T1\",\"payload\":{\"type\":\"message\",\"channel\":\"C1\",\"text\":\"hi\"}}");

        Command.SendMessage m = (Command.SendMessage) c;
        assertThat(m.id()).isEmpty();
        assertThat(MAPPER.readTree(m.payload()).get("text").asText()).isEqualTo("hi");
    }

    @Test
    void aMessageThatWantsItsResultSaysSoAndOneThatDoesNotIsTheGoBrokersBytes() {
        Command.SendMessage wants = new Command.SendMessage(BotId.of("T1"), "m1", "{}", true);
        Command.SendMessage plain = new Command.SendMessage(BotId.of("T1"), "m1", "{}");

        assertThat(RelaxJson.encodeCommand(wants))
                .isEqualTo("{\"type\":\"message\",\"team_id\":\"T1\",\"namespace\":\"\",\"id\":\"m1\","
                        + "\"payload\":\"{}\",\"result\":true}");
        assertThat(RelaxJson.encodeCommand(plain)).doesNotContain("result");
        assertThat(RelaxJson.decodeCommand(RelaxJson.encodeCommand(wants))).isEqualTo(wants);
        assertThat(RelaxJson.decodeCommand(RelaxJson.encodeCommand(plain))).isEqualTo(plain);
    }

    @Test
    void numericMessageIdIsReadAsText() {
        Command c = RelaxJson.decodeCommand("{\"type\":\"message\",\"team_id\":\"T1\",\"id\":42,\"payload\":\"{}\"}");
        assertThat(((Command.SendMessage) c).id()).isEqualTo("42");
    }

    @Test
    void commandWithoutTeamIdIsRejectedWithReason() {
        assertThatThrownBy(() -> RelaxJson.decodeCommand("{\"type\":\"team_added\"}"))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageContaining("invalid command: has no team_id");
    }

    @Test
    void unknownCommandTypeIsRejectedWithItsName() {
        assertThatThrownBy(() -> RelaxJson.decodeCommand("{\"type\":\"team_exploded\",\"team_id\":\"T1\"}"))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageContaining("unknown type 'team_exploded'");
    }

    @Test
    void commandThatIsNotJsonIsRejected() {
        assertThatThrownBy(() -> RelaxJson.decodeCommand("team_added T1"))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageContaining("malformed command JSON");
    }

    @Test
    void contractRegistrationRoundTripsWithSameNamesAndValues() throws Exception {
        String json =
                "{\"team_id\":\"TDEADBEEF\",\"token\":\"xoxb-123-abc\",\"provider\":\"slack\",\"namespace\":\"\"}";

        BotRegistration r = RelaxJson.decodeRegistration(json);

        assertThat(r).isEqualTo(BotRegistration.of("TDEADBEEF", "xoxb-123-abc"));
        assertThat(r.token().reveal()).isEqualTo("xoxb-123-abc");
        assertThat(MAPPER.readTree(RelaxJson.encodeRegistration(r))).isEqualTo(MAPPER.readTree(json));
    }

    @Test
    void readmeRegistrationDefaultsProviderAndNamespaceAndIgnoresUnknownFields() {
        BotRegistration r = RelaxJson.decodeRegistration(
                "{\"team_id\":\"TDEADBEEF\",\"token\":\"xoxo_slackbotoken\",\"team_name\":\"x\",\"extra\":{\"a\":[1]}}");

        assertThat(r.provider()).isEqualTo("slack");
        assertThat(r.namespace()).isEmpty();
        assertThat(r.hashField()).isEqualTo("TDEADBEEF");
    }

    @Test
    void everyGoldenRegistrationIsStoredUnderItsRecordedHashField() {
        for (Golden.Case c : Golden.cases()) {
            BotRegistration r = RelaxJson.decodeRegistration(c.registration().toString());
            assertThat(r.hashField()).as(c.name()).isEqualTo(c.registrationField());
        }
    }

    @Test
    void registrationWithoutTeamIdIsRejectedWithoutShowingTheToken() {
        assertThatThrownBy(() -> RelaxJson.decodeRegistration("{\"token\":\"xoxb-SECRET-1\"}"))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageContaining("has no team_id")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void malformedRegistrationErrorNeverShowsTheToken() {
        String broken = "{\"team_id\":\"T1\",\"token\":\"xoxb-SECRET-2\" \"namespace\":\"\"}";

        assertThatThrownBy(() -> RelaxJson.decodeRegistration(broken))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageContaining("malformed bot registration JSON")
                .hasMessageContaining("\"team_id\":\"T1\"")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void malformedTokenValueIsNotEchoedByTheParserMessage() {
        // Jackson's own message quotes the bad token; it must be masked too.
        assertThatThrownBy(() -> RelaxJson.decodeRegistration("{\"team_id\":\"T1\",\"token\":xoxb-SECRET-3}"))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void registrationToStringNeverShowsTheToken() {
        BotRegistration r = new BotRegistration("T1", Secret.of("xoxb-SECRET-4"), "slack", "ns");
        assertThat(r.toString()).contains("T1", "xoxb-****", "ns").doesNotContain("SECRET");
    }

    @Test
    void quoteEscapesWhatJsonRequires() throws Exception {
        String text = "say \"hi\"\n\tback\\slash \u0001 é";
        assertThat(MAPPER.readTree(RelaxJson.quote(text)).asText()).isEqualTo(text);
    }

    @Test
    void tokenWithAPastedNewlineIsReadWithoutIt() {
        BotRegistration r = RelaxJson.decodeRegistration("{\"team_id\":\"T1\",\"token\":\"xoxb-1-abc\\n\"}");
        assertThat(r.token().reveal()).isEqualTo("xoxb-1-abc");
    }
}
