/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.EncryptionKeys;
import dev.relax.core.RelaxException;
import dev.relax.core.Secret;
import dev.relax.core.protocol.AppOAuth;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Installation;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Registrations with the fields of Slack's OAuth flow, and their secrets sealed at rest. */
class RelaxJsonSealedTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final EncryptionKeys KEYS =
            EncryptionKeys.parse("k1:" + Base64.getEncoder().encodeToString(new byte[32]), "RELAX_ENCRYPTION_KEYS");

    private static final AppRegistration APP = AppRegistration.eventsApi("A1", "sign-s3cret")
            .withOAuth(AppOAuth.of(
                            "111.222",
                            "client-s3cret",
                            List.of("chat:write", "app_mentions:read"),
                            "https://relax.example/slack/oauth_redirect")
                    .withUserScopes(List.of("search:read"))
                    .withDirectInstall(true));

    private static final Installation ORG_INSTALL = Installation.builder("A1", "")
            .bot("UBOT", Secret.of("xoxe.xoxb-1-bot-s3cret"), "chat:write,app_mentions:read")
            .enterprise("E1", true)
            .installer("U1")
            .user(Secret.of("xoxe.xoxp-1-user-s3cret"), "search:read")
            .botRotation(Secret.of("xoxe-1-refresh-s3cret"), Instant.ofEpochSecond(1_800_000_000L))
            .userRotation(Secret.of("xoxe-1-user-refresh-s3cret"), Instant.ofEpochSecond(1_800_000_100L))
            .build();

    @Test
    void anOAuthAppRoundTripsSealedAndPlain() throws Exception {
        String sealed = RelaxJson.encodeApp(APP, KEYS);
        JsonNode json = MAPPER.readTree(sealed);

        assertThat(sealed).doesNotContain("s3cret");
        assertThat(json.path("client_id").asText()).isEqualTo("111.222");
        assertThat(json.path("client_secret").asText()).startsWith("enc:v1:k1:");
        assertThat(json.path("signing_secret").asText()).startsWith("enc:v1:k1:");
        assertThat(json.path("app_token").asText()).isEmpty();
        assertThat(json.path("bot_scopes").toString()).isEqualTo("[\"chat:write\",\"app_mentions:read\"]");
        assertThat(json.path("install_page").asText()).isEqualTo("redirect");
        assertThat(RelaxJson.decodeApp(sealed, KEYS)).isEqualTo(APP);
        assertThat(RelaxJson.decodeApp(RelaxJson.encodeApp(APP))).isEqualTo(APP);
        assertThat(APP.toString()).contains("111.222").doesNotContain("s3cret");
    }

    @Test
    void anOrgWideInstallationWithRotationRoundTripsWithEveryTokenSealed() throws Exception {
        String sealed = RelaxJson.encodeInstallation(ORG_INSTALL, KEYS);
        JsonNode json = MAPPER.readTree(sealed);

        assertThat(sealed).doesNotContain("s3cret");
        assertThat(ORG_INSTALL.hashField()).isEqualTo("A1:E1");
        assertThat(json.path("team_id").asText()).isEmpty();
        assertThat(json.path("enterprise_id").asText()).isEqualTo("E1");
        assertThat(json.path("is_enterprise_install").asBoolean()).isTrue();
        assertThat(json.path("bot_token_expires_at").asLong()).isEqualTo(1_800_000_000L);
        for (String field : List.of("bot_token", "user_token", "bot_refresh_token", "user_refresh_token")) {
            assertThat(json.path(field).asText()).as(field).startsWith("enc:v1:k1:");
        }
        assertThat(RelaxJson.decodeInstallation(sealed, KEYS)).isEqualTo(ORG_INSTALL);
        assertThat(ORG_INSTALL.toString()).doesNotContain("s3cret");
    }

    @Test
    void anInstallationAddedByHandIsStoredAsBefore() {
        Installation plain = Installation.of("A1", "T1", "UBOT", "xoxb-1");

        assertThat(RelaxJson.encodeInstallation(plain))
                .isEqualTo("{\"app_id\":\"A1\",\"team_id\":\"T1\",\"bot_user_id\":\"UBOT\",\"bot_token\":\"xoxb-1\"}");
        assertThat(RelaxJson.decodeInstallation(RelaxJson.encodeInstallation(plain, KEYS), KEYS))
                .isEqualTo(plain);
    }

    @Test
    void plainTextWrittenByAnOlderVersionIsReadWithKeys() {
        assertThat(RelaxJson.decodeInstallation(
                                "{\"app_id\":\"A1\",\"team_id\":\"T1\",\"bot_token\":\"xoxb-old\"}", KEYS)
                        .botToken()
                        .reveal())
                .isEqualTo("xoxb-old");
    }

    @Test
    void aSealedTokenWithoutKeysFailsNamingTheInstallation() {
        String sealed = RelaxJson.encodeInstallation(Installation.of("A1", "T9", "UBOT", "xoxb-1-s3cret"), KEYS);

        assertThatThrownBy(() -> RelaxJson.decodeInstallation(sealed))
                .isInstanceOf(RelaxException.class)
                .hasMessage("cannot decrypt the installation A1:T9 bot_token: it was encrypted under key k1, and"
                        + " RELAX_ENCRYPTION_KEYS is not set");
        // Copied under another installation's field, it does not open.
        String moved = sealed.replace("\"T9\"", "\"T8\"");
        assertThatThrownBy(() -> RelaxJson.decodeInstallation(moved, KEYS))
                .hasMessageStartingWith("cannot decrypt the installation A1:T8 bot_token with key k1");
    }

    @Test
    void botRegistrationsArePlainUnlessAskedAndReadEitherWay() {
        BotRegistration bot = new BotRegistration("T1", Secret.of("xoxb-rtm-s3cret"), "slack", "");

        assertThat(RelaxJson.encodeRegistration(bot)).contains("xoxb-rtm-s3cret");
        String sealed = RelaxJson.encodeRegistration(bot, KEYS);
        assertThat(sealed).doesNotContain("s3cret").contains("enc:v1:k1:");
        assertThat(RelaxJson.decodeRegistration(sealed, KEYS)).isEqualTo(bot);
        assertThat(RelaxJson.decodeRegistration(RelaxJson.encodeRegistration(bot), KEYS))
                .isEqualTo(bot);
    }
}
