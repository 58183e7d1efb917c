/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.slack.RtmTranslator;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Events API payloads (https://api.slack.com/events) as Relax events. */
class AppEventTranslatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private final AppEventTranslator translator =
            new AppEventTranslator(new RtmTranslator(CLOCK, false, JSON.getFactory()), CLOCK);
    private final AppRegistration app =
            AppRegistration.socketMode("A1", "xapp-1").withNamespace("ns");

    private static JsonNode callback(String event) throws Exception {
        return JSON.readTree("{\"team_id\":\"T1\",\"api_app_id\":\"A1\",\"event\":" + event
                + ",\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event_time\":1,"
                + "\"authorizations\":[{\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"is_bot\":true}]}");
    }

    @Test
    void aMessageAndItsAppMentionShareOneDedupeId() throws Exception {
        String message = "{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"<@UBOT> hi\","
                + "\"ts\":\"1.000100\",\"event_ts\":\"1.000100\",\"channel_type\":\"channel\"}";
        String mention = "{\"type\":\"app_mention\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"<@UBOT> hi\","
                + "\"ts\":\"1.000100\",\"event_ts\":\"1.000100\"}";

        AppEvent a = translator.eventCallback(app, callback(message), (x, y) -> "");
        AppEvent b = translator.eventCallback(app, callback(mention), (x, y) -> "");

        assertThat(a.translated().dedupe()).isEqualTo(b.translated().dedupe());
        assertThat(a.translated().event().type()).isEqualTo("message_new");
        assertThat(b.translated().event().type()).isEqualTo("message_new");
        assertThat(a.bot().hashField()).isEqualTo("ns-T1");
        assertThat(a.translated().event().relaxBotUid()).isEqualTo("UBOT");
        assertThat(a.translated().event().namespace()).isEqualTo("ns");
        assertThat(a.translated().event().appId()).isEqualTo("A1");
    }

    @Test
    void aMessageInAThreadCarriesTheThreadsTsAndATopLevelOneDoesNot() throws Exception {
        String reply = "{\"type\":\"app_mention\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"<@UBOT> more\","
                + "\"ts\":\"2.000200\",\"thread_ts\":\"1.000100\",\"event_ts\":\"2.000200\"}";
        String top = "{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"hi\","
                + "\"ts\":\"3.000300\",\"event_ts\":\"3.000300\",\"channel_type\":\"channel\"}";

        WireEvent inThread = translator
                .eventCallback(app, callback(reply), (x, y) -> "")
                .translated()
                .event();
        WireEvent topLevel = translator
                .eventCallback(app, callback(top), (x, y) -> "")
                .translated()
                .event();

        assertThat(new dev.relax.core.event.MessageNew(inThread).threadTs()).isEqualTo("1.000100");
        assertThat(RelaxJson.encodeEvent(inThread)).endsWith(",\"thread_ts\":\"1.000100\"}");
        assertThat(new dev.relax.core.event.MessageNew(topLevel).threadTs()).isEmpty();
        assertThat(RelaxJson.encodeEvent(topLevel)).doesNotContain("thread_ts");
    }

    @Test
    void aMessageABotPostedCarriesItsBotIdAndAPersonsDoesNot() throws Exception {
        String fromBot = "{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"UOTHER\",\"bot_id\":\"B0OTHER\","
                + "\"text\":\"beep\",\"ts\":\"4.000400\",\"event_ts\":\"4.000400\",\"channel_type\":\"channel\"}";
        String fromPerson = "{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"hi\","
                + "\"ts\":\"5.000500\",\"event_ts\":\"5.000500\",\"channel_type\":\"channel\"}";

        WireEvent bot = translator
                .eventCallback(app, callback(fromBot), (x, y) -> "")
                .translated()
                .event();
        WireEvent person = translator
                .eventCallback(app, callback(fromPerson), (x, y) -> "")
                .translated()
                .event();

        assertThat(new dev.relax.core.event.MessageNew(bot).botId()).isEqualTo("B0OTHER");
        assertThat(RelaxJson.encodeEvent(bot)).endsWith(",\"bot_id\":\"B0OTHER\"}");
        assertThat(new dev.relax.core.event.MessageNew(person).botId()).isEmpty();
        assertThat(RelaxJson.encodeEvent(person)).doesNotContain("bot_id");
    }

    @Test
    void theBotsOwnMemberJoinedChannelIsChannelJoinedAndAnyoneElsesIsASlackEvent() throws Exception {
        AppEvent own = translator.eventCallback(
                app,
                callback("{\"type\":\"member_joined_channel\",\"user\":\"UBOT\",\"channel\":\"C9\"}"),
                (x, y) -> "");
        AppEvent other = translator.eventCallback(
                app, callback("{\"type\":\"member_joined_channel\",\"user\":\"U2\",\"channel\":\"C9\"}"), (x, y) -> "");

        assertThat(own.translated().event().type()).isEqualTo("channel_joined");
        assertThat(own.translated().event().channelUid()).isEqualTo("C9");
        assertThat(other.translated().event().type()).isEqualTo("slack_event");
        assertThat(other.translated().event().extraText("slack_type")).isEqualTo("member_joined_channel");
        assertThat(other.translated().event().userUid()).isEqualTo("U2");
    }

    @Test
    void uninstallAndRevokedBotTokensDisableTheBotOfThatTeam() throws Exception {
        AppEvent uninstalled = translator.eventCallback(app, callback("{\"type\":\"app_uninstalled\"}"), (x, y) -> "");
        AppEvent revoked = translator.eventCallback(
                app, callback("{\"type\":\"tokens_revoked\",\"tokens\":{\"bot\":[\"UBOT\"]}}"), (x, y) -> "");
        AppEvent userTokens = translator.eventCallback(
                app, callback("{\"type\":\"tokens_revoked\",\"tokens\":{\"oauth\":[\"U1\"]}}"), (x, y) -> "");

        assertThat(uninstalled.translated().event().type()).isEqualTo("disable_bot");
        assertThat(uninstalled.translated().event().teamUid()).isEqualTo("T1");
        assertThat(revoked.translated().event().type()).isEqualTo("disable_bot");
        assertThat(userTokens.translated().event().type()).isEqualTo("slack_event");
    }

    @Test
    void anEventWithNoRtmEquivalentKeepsSlacksPayload() throws Exception {
        AppEvent home = translator.eventCallback(
                app,
                callback("{\"type\":\"app_home_opened\",\"user\":\"U1\",\"channel\":\"D1\",\"tab\":\"home\"}"),
                (x, y) -> "");

        assertThat(home.translated().event().type()).isEqualTo("slack_event");
        assertThat(home.translated().event().im()).isTrue();
        assertThat(home.translated().event().extraJson().get("payload")).contains("\"tab\":\"home\"");
        assertThat(home.translated().event().extraText("slack_event_id")).isEqualTo("Ev1");
        assertThat(home.translated().dedupe().boundedKey("m")).isEqualTo("m:ns-T1:app:A1:slack_event::Ev1");
    }

    @Test
    void aPayloadRelaxCannotTranslateGoesOutRawAsASlackEventOfItsTeamWithoutTheVerificationToken() throws Exception {
        JsonNode payload = JSON.readTree("{\"token\":\"vtok\",\"team_id\":\"T9\",\"odd\":[1,2]}");

        AppEvent raw = translator.untranslatable(app, "slash_commands", payload, "env-7");

        assertThat(raw.bot().teamId()).isEqualTo("T9");
        assertThat(raw.translated().event().type()).isEqualTo("slack_event");
        assertThat(raw.translated().event().extraText("slack_type")).isEqualTo("slash_commands");
        assertThat(raw.translated().event().appId()).isEqualTo("A1");
        assertThat(raw.translated().event().extraJson().get("payload")).isEqualTo("{\"team_id\":\"T9\",\"odd\":[1,2]}");
        assertThat(raw.translated().dedupe().boundedKey("m")).isEqualTo("m:ns-T9:app:A1:slack_event::envelope:env-7");
    }

    @Test
    void anEventCallbackRelaxCannotTranslateIsWrittenRawAsASlackEventOfItsEnvelopeType() throws Exception {
        // An attachment ts beyond any number: read as an infinite double, which has no decimal form.
        JsonNode body = callback("{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"hi\","
                + "\"ts\":\"1.1\",\"attachments\":[{\"ts\":1e400}]}");

        AppEvent raw = translator.translate(EnvelopeKind.EVENTS_API, app, body, "env-9", (x, y) -> "");

        assertThat(raw.bot().teamId()).isEqualTo("T1");
        assertThat(raw.translated().event().type()).isEqualTo("slack_event");
        assertThat(raw.translated().event().extraText("slack_type")).isEqualTo("events_api");
        assertThat(raw.translated().event().extraJson().get("payload")).isEqualTo(body.toString());
        assertThat(raw.translated().dedupe().boundedKey("m")).isEqualTo("m:ns-T1:app:A1:slack_event::envelope:env-9");
    }

    @Test
    void theOneEntryNamesTheBotUserOfTheTeamEachKindOfPayloadComesFrom() throws Exception {
        JsonNode command = JSON.readTree("{\"team_id\":\"T2\",\"channel_id\":\"C1\",\"command\":\"/deploy\"}");
        JsonNode click = JSON.readTree("{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\",\"team_id\":\"T3\"}}");
        JsonNode home = JSON.readTree(
                "{\"event\":{\"type\":\"app_home_opened\",\"user\":\"U1\",\"team\":\"T4\"}," + "\"event_id\":\"Ev4\"}");
        java.util.function.BiFunction<String, String, String> bots = (appId, team) -> "UB-" + appId + "-" + team;

        AppEvent slash = translator.translate(EnvelopeKind.SLASH_COMMANDS, app, command, "env-1", bots);
        AppEvent interaction = translator.translate(EnvelopeKind.INTERACTIVE, app, click, "env-2", bots);
        AppEvent event = translator.translate(EnvelopeKind.EVENTS_API, app, home, "env-3", bots);

        assertThat(java.util.List.of(slash, interaction, event))
                .extracting(e -> e.translated().event().type() + " " + e.bot().teamId() + " "
                        + e.translated().event().relaxBotUid() + " "
                        + e.translated().dedupe().hashField())
                .containsExactly(
                        "slash_command T2 UB-A1-T2 ns-T2:app:A1:slash_command::env-1",
                        "interaction T3 UB-A1-T3 ns-T3:app:A1:interaction::env-2",
                        "slack_event T4 UB-A1-T4 ns-T4:app:A1:slack_event::Ev4");
        assertThat(java.util.Arrays.stream(EnvelopeKind.values())
                        .map(k -> AppEventTranslator.teamOf(k, JSON.createObjectNode())))
                .containsOnly("");
    }

    /**
     * In hash mode too, the key of an app event comes from Slack's ids, not from the broker's clock (which
     * is the event_timestamp of slash commands, interactions and raw payloads): a broker that sees the same
     * request or envelope again, or another broker a moment later, finds it already pushed.
     */
    @Test
    void appEventKeysInBothModesComeFromSlacksIdsNotFromTheClock() throws Exception {
        Clock later = Clock.offset(CLOCK, java.time.Duration.ofMillis(1500));
        AppEventTranslator other = new AppEventTranslator(new RtmTranslator(later, false, JSON.getFactory()), later);
        JsonNode command = JSON.readTree("{\"team_id\":\"T1\",\"channel_id\":\"C1\",\"user_id\":\"U1\","
                + "\"command\":\"/deploy\",\"text\":\"prod\",\"trigger_id\":\"TR1\"}");
        JsonNode untriggered = JSON.readTree("{\"team_id\":\"T1\",\"channel_id\":\"C1\",\"command\":\"/deploy\"}");
        JsonNode click = JSON.readTree("{\"type\":\"view_closed\",\"team\":{\"id\":\"T1\"},\"user\":{\"id\":\"U1\"}}");
        JsonNode home = callback("{\"type\":\"app_home_opened\",\"user\":\"U1\",\"channel\":\"D1\"}");
        JsonNode odd = JSON.readTree("{\"team_id\":\"T1\",\"odd\":true}");

        java.util.List<java.util.function.Function<AppEventTranslator, AppEvent>> events = java.util.List.of(
                t -> t.slashCommand(app, command, "env-1", ""),
                t -> t.slashCommand(app, untriggered, "sha256:abc", ""),
                t -> t.interaction(app, click, "env-2", ""),
                t -> t.eventCallback(app, home, (x, y) -> ""),
                t -> t.untranslatable(app, "slash_commands", odd, "env-3"));
        java.util.List<String> fields = new java.util.ArrayList<>();
        for (var event : events) {
            var now = event.apply(translator).translated();
            var then = event.apply(other).translated();
            assertThat(now.event().eventTimestamp()).isNotEqualTo(then.event().eventTimestamp());
            assertThat(then.dedupe().hashField()).isEqualTo(now.dedupe().hashField());
            assertThat(then.dedupe().boundedKey("m")).isEqualTo(now.dedupe().boundedKey("m"));
            fields.add(now.dedupe().hashField());
        }
        assertThat(fields)
                .containsExactly(
                        "ns-T1:app:A1:slash_command::TR1",
                        "ns-T1:app:A1:slash_command::sha256:abc",
                        "ns-T1:app:A1:interaction::env-2",
                        "ns-T1:app:A1:slack_event::Ev1",
                        "ns-T1:app:A1:slack_event::envelope:env-3");
    }

    @Test
    void anAppsMessageIsKeyedByItsAppNotByTheGoBrokersField() throws Exception {
        String message = "{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"hi\","
                + "\"ts\":\"1.000100\",\"event_ts\":\"1.000100\"}";

        AppEvent e = translator.eventCallback(app, callback(message), (x, y) -> "");

        assertThat(e.translated().dedupe().hashField()).isEqualTo("ns-T1:app:A1:message_new:C1:1.000100");
        assertThat(e.translated().dedupe().boundedKey("m")).isEqualTo("m:ns-T1:app:A1:message_new:C1:1.000100");
    }

    @Test
    void theBotUserComesFromTheInstallationWhenAuthorizationsNameNone() throws Exception {
        JsonNode body = JSON.readTree("{\"team_id\":\"T1\",\"event\":{\"type\":\"reaction_added\",\"user\":\"U1\","
                + "\"reaction\":\"eyes\",\"item\":{\"type\":\"message\",\"channel\":\"C1\",\"ts\":\"1.1\"},"
                + "\"event_ts\":\"2.2\"},\"event_id\":\"Ev2\"}");

        AppEvent e = translator.eventCallback(app, body, (appId, team) -> appId + "/" + team);

        assertThat(e.translated().event().relaxBotUid()).isEqualTo("A1/T1");
        assertThat(e.translated().event().text()).isEqualTo("eyes");
    }

    @Test
    void messageSubtypesRtmBotsDoNotReportAreNotReportedForAppsEither() throws Exception {
        String joined = "{\"type\":\"message\",\"subtype\":\"channel_join\",\"channel\":\"C1\",\"user\":\"U1\","
                + "\"ts\":\"1.2\"}";

        assertThat(translator.eventCallback(app, callback(joined), (x, y) -> ""))
                .isNull();
    }
}
