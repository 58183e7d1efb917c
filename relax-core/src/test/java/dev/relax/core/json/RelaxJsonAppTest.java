/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.event.Interaction;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.event.SlackEvent;
import dev.relax.core.event.SlashCommand;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Command;
import dev.relax.core.protocol.Installation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** App registrations, installations, app commands and the event types only apps produce. */
class RelaxJsonAppTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void appRegistrationRoundTripsAndDefaultsToTwoConnections() throws Exception {
        String json = "{\"app_id\":\"A1\",\"app_token\":\"xapp-1-A1-s3cret\",\"namespace\":\"support\"}";

        AppRegistration app = RelaxJson.decodeApp(json);

        assertThat(app.appId()).isEqualTo("A1");
        assertThat(app.connections()).isEqualTo(2);
        assertThat(app.usesSocketMode()).isTrue();
        assertThat(app.signingSecret().isEmpty()).isTrue();
        assertThat(app.namespace()).isEqualTo("support");
        assertThat(RelaxJson.decodeApp(RelaxJson.encodeApp(app))).isEqualTo(app);
        assertThat(MAPPER.readTree(RelaxJson.encodeApp(app)).path("app_token").asText())
                .isEqualTo("xapp-1-A1-s3cret");
    }

    @Test
    void appSecretsNeverShowInToString() {
        AppRegistration app = new AppRegistration(
                "A1", dev.relax.core.Secret.of("xapp-1-A1-s3cret"), dev.relax.core.Secret.of("sign-me"), "", 3);
        Installation installation = Installation.of("A1", "T1", "UBOT", "xoxb-very-secret");

        assertThat(app.toString()).contains("A1").doesNotContain("s3cret").doesNotContain("sign-me");
        assertThat(installation.toString()).contains("T1", "UBOT").doesNotContain("very-secret");
    }

    @Test
    void appRegistrationOutsideSlacksConnectionLimitIsRefusedWithTheReason() {
        assertThatThrownBy(() -> RelaxJson.decodeApp("{\"app_id\":\"A1\",\"connections\":11}"))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageContaining("11 connections")
                .hasMessageContaining("1..10");
        assertThatThrownBy(() -> RelaxJson.decodeApp("{\"app_token\":\"xapp-secret\"}"))
                .isInstanceOf(RelaxJsonException.class)
                .hasMessageContaining("no app_id")
                .hasMessageNotContaining("xapp-secret");
    }

    @Test
    void installationRoundTripsUnderAppColonTeam() {
        Installation installation = Installation.of("A1", "T1", "UBOT", "xoxb-1");

        assertThat(RelaxJson.decodeInstallation(RelaxJson.encodeInstallation(installation)))
                .isEqualTo(installation);
        assertThat(installation.hashField()).isEqualTo("A1:T1");
        assertThatThrownBy(() -> RelaxJson.decodeInstallation("{\"app_id\":\"A1\"}"))
                .hasMessageContaining("no team_id");
    }

    @Test
    void appCommandsRoundTrip() {
        for (Command c : new Command[] {
            new Command.AppAdded("A1"),
            new Command.AppRemoved("A1"),
            new Command.InstallationAdded("A1", "T1"),
            new Command.InstallationRemoved("A1", "T1")
        }) {
            assertThat(RelaxJson.decodeCommand(RelaxJson.encodeCommand(c))).isEqualTo(c);
        }
        assertThat(RelaxJson.encodeCommand(new Command.AppAdded("A1")))
                .isEqualTo("{\"type\":\"app_added\",\"app_id\":\"A1\"}");
        assertThatThrownBy(() -> RelaxJson.decodeCommand("{\"type\":\"installation_added\",\"app_id\":\"A1\"}"))
                .hasMessageContaining("no team_id");
        assertThatThrownBy(() -> RelaxJson.decodeCommand("{\"type\":\"app_added\"}"))
                .hasMessageContaining("no app_id");
    }

    @Test
    void appEventTypesGetTheirTypedViewsWithThePayloadIntact() {
        String slash = "{\"type\":\"slash_command\",\"user_uid\":\"U1\",\"channel_uid\":\"C1\",\"team_uid\":\"T1\","
                + "\"text\":\"now\",\"relax_app_id\":\"A1\",\"command\":\"/deploy\","
                + "\"payload\":{\"command\":\"/deploy\",\"text\":\"now\"}}";
        String interaction = "{\"type\":\"interaction\",\"interaction_type\":\"block_actions\","
                + "\"payload\":{\"type\":\"block_actions\"}}";
        String other = "{\"type\":\"slack_event\",\"slack_type\":\"app_home_opened\","
                + "\"slack_event_id\":\"Ev1\",\"payload\":{\"type\":\"app_home_opened\"}}";

        RelaxEvent s = RelaxJson.decodeTypedEvent(slash);
        RelaxEvent i = RelaxJson.decodeTypedEvent(interaction);
        RelaxEvent o = RelaxJson.decodeTypedEvent(other);

        assertThat(s).isInstanceOfSatisfying(SlashCommand.class, c -> {
            assertThat(c.command()).isEqualTo("/deploy");
            assertThat(c.text()).isEqualTo("now");
            assertThat(c.appId()).isEqualTo("A1");
            assertThat(c.payloadJson()).isEqualTo("{\"command\":\"/deploy\",\"text\":\"now\"}");
        });
        assertThat(i).isInstanceOfSatisfying(Interaction.class, c -> assertThat(c.interactionType())
                .isEqualTo("block_actions"));
        assertThat(o).isInstanceOfSatisfying(SlackEvent.class, c -> {
            assertThat(c.slackType()).isEqualTo("app_home_opened");
            assertThat(c.slackEventId()).isEqualTo("Ev1");
            assertThat(c.appId()).isEmpty();
        });
    }

    @Test
    void appKeysDeriveFromTheBotsKeyUnlessSet() {
        RelaxConfig derived = RelaxConfig.builder()
                .keysWithPrefix("relax")
                .redis(RedisAddress.of("localhost", 6379))
                .build();
        RelaxConfig moved = derived.mutate().botsKey("other_bots").build();
        RelaxConfig fromEnv = RelaxConfig.fromEnv(Map.of(
                "RELAX_BOTS_KEY",
                "b",
                "RELAX_BOTS_PUBSUB",
                "p",
                "RELAX_EVENTS_QUEUE",
                "e",
                "RELAX_MUTEX_KEY",
                "m",
                "REDIS_URL",
                "redis://localhost:6379",
                "RELAX_APPS_KEY",
                "my_apps"));

        assertThat(derived.appsKey()).isEqualTo("relax_bots:apps");
        assertThat(derived.installationsKey()).isEqualTo("relax_bots:installations");
        assertThat(derived.callsKey()).isEqualTo("relax_bots:calls");
        assertThat(moved.appsKey()).isEqualTo("other_bots:apps");
        assertThat(fromEnv.appsKey()).isEqualTo("my_apps");
        assertThat(fromEnv.installationsKey()).isEqualTo("b:installations");
        assertThat(RelaxConfig.fromEnv(fromEnv.toEnv()).appsKey()).isEqualTo("my_apps");
    }
}
