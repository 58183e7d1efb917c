/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token rotation, code expiry, revocation, uninstalls and Enterprise Grid installs, on the simulator's clock. */
class TokenRotationIT {
    private static final String REDIRECT = "https://bot.example/slack/oauth_redirect";

    private final StepClock clock = new StepClock(Instant.parse("2026-01-01T00:00:00Z"));
    private SlackSimulator slack;
    private SlackApi api;
    private AuthorizeBrowser browser;
    private App app;
    private Workspace ws;

    @BeforeEach
    void start() {
        slack = SlackSimulator.builder().clock(clock).start();
        api = new SlackApi(slack);
        browser = new AuthorizeBrowser(slack);
        ws = slack.workspace("T1", "Acme", "acme");
        ws.user("U1", "alice");
        ws.channel("C1", "general");
        app = slack.app("A1")
                .oauth("111.222", "shh")
                .redirectUrl(URI.create(REDIRECT))
                .tokenRotation(Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        browser.close();
        api.close();
        slack.close();
    }

    private String code(String team, String userScope) {
        String query = "client_id=111.222&scope=chat:write&user_scope=" + userScope + "&state=s&team=" + team
                + "&redirect_uri=" + AuthorizeBrowser.encode(REDIRECT);
        return AuthorizeBrowser.param(browser.submit(query, "decision", "allow").location(), "code");
    }

    private JsonNode exchange(String code) {
        SlackApi.Reply reply = api.basic("oauth.v2.access", "111.222", "shh", "code", code, "redirect_uri", REDIRECT);
        assertThat(reply.ok()).as(reply.json().toString()).isTrue();
        return reply.json();
    }

    private SlackApi.Reply refresh(String refreshToken) {
        return api.basic(
                "oauth.v2.access", "111.222", "shh", "grant_type", "refresh_token", "refresh_token", refreshToken);
    }

    @Test
    void rotatingTokensExpireAndARefreshGivesANewPairOnce() {
        JsonNode installed = exchange(code("T1", "search:read"));
        String token = installed.path("access_token").asText();
        String refreshToken = installed.path("refresh_token").asText();
        assertThat(token).startsWith("xoxe.xoxb-1-");
        assertThat(refreshToken).startsWith("xoxe-1-");
        assertThat(installed.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(installed.path("authed_user").path("access_token").asText()).startsWith("xoxe.xoxp-1-");
        assertThat(installed.path("authed_user").path("refresh_token").asText()).startsWith("xoxe-1-");
        assertThat(installed.path("authed_user").path("expires_in").asLong()).isEqualTo(3600);

        clock.step(Duration.ofMinutes(59));
        assertThat(api.form("auth.test", token).ok()).isTrue();
        clock.step(Duration.ofMinutes(1));
        assertThat(api.form("auth.test", token).error()).isEqualTo("token_expired");
        assertThat(api.bearer("chat.postMessage", token, "channel", "C1", "text", "hi")
                        .error())
                .isEqualTo("token_expired");

        SlackApi.Reply refreshed = refresh(refreshToken);
        SlackApi.Reply again = refresh(refreshToken);

        JsonNode json = refreshed.json();
        assertThat(refreshed.ok()).as(json.toString()).isTrue();
        String newToken = json.path("access_token").asText();
        assertThat(newToken).startsWith("xoxe.xoxb-1-").isNotEqualTo(token);
        assertThat(json.path("refresh_token").asText()).startsWith("xoxe-1-").isNotEqualTo(refreshToken);
        assertThat(json.path("token_type").asText()).isEqualTo("bot");
        assertThat(json.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(json.path("bot_user_id").asText())
                .isEqualTo(installed.path("bot_user_id").asText());
        assertThat(json.path("team").path("id").asText()).isEqualTo("T1");
        assertThat(again.error()).isEqualTo("invalid_refresh_token");
        assertThat(api.bearer("chat.postMessage", newToken, "channel", "C1", "text", "hi")
                        .ok())
                .isTrue();
        assertThat(slack.recordings().apiCalls("oauth.v2.access").stream()
                        .filter(call -> call.arg("grant_type").equals("refresh_token"))
                        .map(ApiCall::error))
                .containsExactly("", "invalid_refresh_token");
    }

    @Test
    void codesExpireAfterTenMinutes() {
        String late = code("T1", "");
        clock.step(Duration.ofMinutes(10));

        assertThat(api.basic("oauth.v2.access", "111.222", "shh", "code", late, "redirect_uri", REDIRECT)
                        .error())
                .isEqualTo("invalid_code");
        String inTime = code("T1", "");
        clock.step(Duration.ofMinutes(9));
        assertThat(exchange(inTime).path("team").path("id").asText()).isEqualTo("T1");
    }

    @Test
    void revokingATokenMakesItsRefreshFail() {
        JsonNode installed = exchange(code("T1", ""));

        slack.revoke(installed.path("access_token").asText());

        assertThat(api.form("auth.test", installed.path("access_token").asText())
                        .error())
                .isEqualTo("token_revoked");
        assertThat(refresh(installed.path("refresh_token").asText()).error()).isEqualTo("invalid_refresh_token");
    }

    @Test
    void uninstallRevokesTheTokensAndTellsTheApp() {
        JsonNode installed = exchange(code("T1", "search:read"));
        String botUser = installed.path("bot_user_id").asText();

        app.uninstall(ws);

        assertThat(api.form("auth.test", installed.path("access_token").asText())
                        .error())
                .isEqualTo("token_revoked");
        assertThat(api.form(
                                "auth.test",
                                installed
                                        .path("authed_user")
                                        .path("access_token")
                                        .asText())
                        .error())
                .isEqualTo("token_revoked");
        assertThat(refresh(installed.path("refresh_token").asText()).error()).isEqualTo("invalid_refresh_token");
        assertThat(slack.recordings().envelopes("A1"))
                .extracting(envelope ->
                        SlackApi.parse(envelope.payload()).path("event").toString())
                .containsExactly(
                        "{\"type\":\"tokens_revoked\",\"tokens\":{\"oauth\":[\"U1\"],\"bot\":[\"" + botUser + "\"]}}",
                        "{\"type\":\"app_uninstalled\"}");
        ws.as(new User("T1", "U1", "alice", "Alice")).post(new Channel("C1", "general", Channel.Type.CHANNEL), "hi");
        assertThat(slack.recordings().envelopes("A1")).hasSize(2);
    }

    @Test
    void orgWideInstallCoversEveryWorkspaceOfTheOrganization() {
        Enterprise org = slack.enterprise("E1", "Starship");
        Workspace bridge = org.workspace("T7", "Bridge", "bridge");
        bridge.user("W1", "kirk");
        bridge.channel("C7", "deck");
        org.workspace("T8", "Engine", "engine").channel("C8", "warp");
        app.orgWideInstall();
        assertThat(browser.open("client_id=111.222&scope=chat:write&team=E1").body())
                .contains("<option value=\"E1\" selected>Starship (entire organization)</option>");

        JsonNode installed = exchange(code("E1", ""));

        assertThat(installed.path("team").isNull()).isTrue();
        assertThat(installed.path("enterprise").toString()).isEqualTo("{\"name\":\"Starship\",\"id\":\"E1\"}");
        assertThat(installed.path("is_enterprise_install").asBoolean()).isTrue();
        assertThat(installed.path("authed_user").path("id").asText()).isEqualTo("W1");
        String token = installed.path("access_token").asText();
        assertThat(api.bearer("chat.postMessage", token, "channel", "C8", "text", "hi")
                        .json()
                        .path("channel")
                        .asText())
                .isEqualTo("C8");
        assertThat(api.bearer("auth.test", token, "team_id", "T8")
                        .json()
                        .path("team_id")
                        .asText())
                .isEqualTo("T8");

        bridge.as(new User("T7", "W1", "kirk", "Kirk")).post(new Channel("C7", "deck", Channel.Type.CHANNEL), "engage");
        JsonNode envelope = slack.recordings().envelopes("A1").stream()
                .map(record -> SlackApi.parse(record.payload()))
                .filter(payload -> payload.path("event").path("text").asText().equals("engage"))
                .findFirst()
                .orElseThrow();
        assertThat(envelope.path("team_id").asText()).isEqualTo("T7");
        assertThat(envelope.path("enterprise_id").asText()).isEqualTo("E1");
        assertThat(envelope.path("context_enterprise_id").asText()).isEqualTo("E1");
        assertThat(envelope.path("authorizations").toString())
                .isEqualTo("[{\"enterprise_id\":\"E1\",\"team_id\":null,\"user_id\":\""
                        + installed.path("bot_user_id").asText()
                        + "\",\"is_bot\":true,\"is_enterprise_install\":true}]");
    }

    /** A clock the test moves by hand. */
    private static final class StepClock extends Clock {
        private volatile Instant now;

        StepClock(Instant start) {
            now = start;
        }

        void step(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
