/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The "Add to Slack" flow against the simulator: the authorize page, codes and oauth.v2.access. */
class OAuthInstallIT {
    private static final String REDIRECT = "https://bot.example/slack/oauth_redirect";

    private SlackSimulator slack;
    private SlackApi api;
    private AuthorizeBrowser browser;
    private App app;
    private Workspace ws;

    @BeforeEach
    void start() {
        slack = SlackSimulator.start();
        api = new SlackApi(slack);
        browser = new AuthorizeBrowser(slack);
        ws = slack.workspace("T1", "Acme", "acme");
        ws.user("U1", "alice");
        ws.channel("C1", "general");
        Workspace other = slack.workspace("T2", "Globex", "globex");
        other.user("U2", "bob");
        app = slack.app("A1").oauth("111.222", "shh").redirectUrl(URI.create(REDIRECT));
    }

    @AfterEach
    void stop() {
        browser.close();
        api.close();
        slack.close();
    }

    private static String query(String team, String userScope) {
        return "client_id=111.222&scope=" + AuthorizeBrowser.encode("chat:write,app_mentions:read")
                + "&user_scope=" + userScope + "&redirect_uri=" + AuthorizeBrowser.encode(REDIRECT)
                + "&state=st%26ate&team=" + team;
    }

    @Test
    void consentPageCarriesTheRequestAndPreselectsTheWorkspace() {
        AuthorizeBrowser.Page page = browser.open(query("T2", ""));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .startsWith("<!DOCTYPE html>")
                .contains("<form method=\"post\" action=\"/oauth/v2/authorize\">")
                .contains("<input type=\"hidden\" name=\"state\" value=\"st&amp;ate\">")
                .contains("<option value=\"T1\">Acme</option>")
                .contains("<option value=\"T2\" selected>Globex</option>")
                .contains("<option value=\"U2\">bob (Globex)</option>")
                .doesNotContain("alice")
                .contains("id=\"allow\"", "id=\"deny\"")
                .doesNotContain("<script");
    }

    @Test
    void allowRedirectsWithACodeThatInstallsTheAppForGood() {
        AuthorizeBrowser.Page redirect = browser.submit(query("T1", "search:read"), "decision", "allow", "user", "U1");

        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.location()).startsWith(REDIRECT + "?code=").endsWith("&state=st%26ate");
        String code = AuthorizeBrowser.param(redirect.location(), "code");
        SlackApi.Reply granted = api.basic("oauth.v2.access", "111.222", "shh", "code", code, "redirect_uri", REDIRECT);
        SlackApi.Reply reused = api.basic("oauth.v2.access", "111.222", "shh", "code", code, "redirect_uri", REDIRECT);

        JsonNode json = granted.json();
        assertThat(granted.ok()).as(json.toString()).isTrue();
        String botToken = json.path("access_token").asText();
        String botUser = json.path("bot_user_id").asText();
        assertThat(botToken).startsWith("xoxb-");
        assertThat(json.path("token_type").asText()).isEqualTo("bot");
        assertThat(json.path("scope").asText()).isEqualTo("chat:write,app_mentions:read");
        assertThat(json.path("app_id").asText()).isEqualTo("A1");
        assertThat(json.path("team").toString()).isEqualTo("{\"name\":\"Acme\",\"id\":\"T1\"}");
        assertThat(json.path("enterprise").isNull()).isTrue();
        assertThat(json.path("is_enterprise_install").asBoolean(true)).isFalse();
        assertThat(json.has("refresh_token")).isFalse();
        JsonNode user = json.path("authed_user");
        assertThat(user.path("id").asText()).isEqualTo("U1");
        assertThat(user.path("scope").asText()).isEqualTo("search:read");
        assertThat(user.path("token_type").asText()).isEqualTo("user");
        assertThat(user.path("access_token").asText()).startsWith("xoxp-");
        assertThat(reused.error()).isEqualTo("invalid_code");

        assertThat(api.form("auth.test", botToken).json().path("user_id").asText())
                .isEqualTo(botUser);
        assertThat(api.form("auth.test", user.path("access_token").asText())
                        .json()
                        .path("user_id")
                        .asText())
                .isEqualTo("U1");
        assertThat(api.bearer("chat.postMessage", botToken, "channel", "C1", "text", "hi")
                        .ok())
                .isTrue();
        ws.as(new User("T1", "U1", "alice", "Alice")).post(new Channel("C1", "general", Channel.Type.CHANNEL), "hello");
        assertThat(slack.recordings().envelopes("A1"))
                .extracting(EnvelopeRecord::payload)
                .anySatisfy(payload ->
                        assertThat(payload).contains("\"text\":\"hello\"", "\"user_id\":\"" + botUser + "\""));

        OAuthInstallation installed = slack.recordings().oauthInstallations().getFirst();
        assertThat(installed.teamId()).isEqualTo("T1");
        assertThat(installed.botUserId()).isEqualTo(botUser);
        assertThat(installed.botToken().reveal()).isEqualTo(botToken);
        assertThat(installed.toString()).doesNotContain(botToken).doesNotContain("shh");
        OAuthConsent consent = slack.recordings().oauthConsents().getFirst();
        assertThat(consent.allowed()).isTrue();
        assertThat(consent.state()).isEqualTo("st&ate");
        assertThat(consent.code().reveal()).isEqualTo(code);
        assertThat(consent.toString()).doesNotContain(code);
    }

    @Test
    void denyRedirectsWithAccessDeniedAndIssuesNoCode() {
        AuthorizeBrowser.Page redirect = browser.submit(query("T1", ""), "decision", "deny");

        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.location()).isEqualTo(REDIRECT + "?error=access_denied&state=st%26ate");
        assertThat(slack.recordings().oauthConsents().getFirst().allowed()).isFalse();
    }

    @Test
    void unknownClientOrUnregisteredRedirectEndsOnAnErrorPageWithoutRedirect() {
        AuthorizeBrowser.Page unknown = browser.open("client_id=999&scope=chat:write&state=s");
        AuthorizeBrowser.Page stranger = browser.open("client_id=111.222&scope=chat:write&state=s&redirect_uri="
                + AuthorizeBrowser.encode("https://evil.example/"));
        AuthorizeBrowser.Page below = browser.open(
                "client_id=111.222&scope=chat:write&redirect_uri=" + AuthorizeBrowser.encode(REDIRECT + "/more"));

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.location()).isEmpty();
        assertThat(unknown.body()).contains("<p id=\"error\">invalid_client_id</p>");
        assertThat(stranger.status()).isEqualTo(400);
        assertThat(stranger.location()).isEmpty();
        assertThat(stranger.body()).contains("<p id=\"error\">bad_redirect_uri</p>");
        assertThat(below.status()).isEqualTo(200);
    }

    @Test
    void oauthV2AccessChecksClientGrantTypeAndRedirect() {
        String code = AuthorizeBrowser.param(
                browser.submit(query("T1", ""), "decision", "allow").location(), "code");

        assertThat(api.form("oauth.v2.access", null, "client_id", "999", "client_secret", "shh", "code", code)
                        .error())
                .isEqualTo("invalid_client_id");
        assertThat(api.form("oauth.v2.access", null, "client_id", "111.222", "client_secret", "no", "code", code)
                        .error())
                .isEqualTo("bad_client_secret");
        assertThat(api.basic("oauth.v2.access", "111.222", "shh", "grant_type", "password")
                        .error())
                .isEqualTo("invalid_grant_type");
        assertThat(api.basic("oauth.v2.access", "111.222", "shh", "code", code, "redirect_uri", REDIRECT + "/x")
                        .error())
                .isEqualTo("bad_redirect_uri");
        assertThat(slack.recordings().apiCalls("oauth.v2.access"))
                .extracting(ApiCall::error)
                .containsExactly("invalid_client_id", "bad_client_secret", "invalid_grant_type", "bad_redirect_uri");
    }

    @Test
    void workspaceInstallInsideAnOrganizationNamesBoth() {
        Workspace bridge = slack.enterprise("E1", "Starship").workspace("T7", "Bridge", "bridge");
        bridge.user("W1", "kirk");
        bridge.channel("C7", "deck");
        String code = AuthorizeBrowser.param(
                browser.submit(query("T7", ""), "decision", "allow").location(), "code");

        JsonNode json = api.basic("oauth.v2.access", "111.222", "shh", "code", code, "redirect_uri", REDIRECT)
                .json();
        bridge.as(new User("T7", "W1", "kirk", "Kirk")).post(new Channel("C7", "deck", Channel.Type.CHANNEL), "engage");

        assertThat(json.path("team").toString()).isEqualTo("{\"name\":\"Bridge\",\"id\":\"T7\"}");
        assertThat(json.path("enterprise").toString()).isEqualTo("{\"name\":\"Starship\",\"id\":\"E1\"}");
        assertThat(json.path("is_enterprise_install").asBoolean(true)).isFalse();
        assertThat(bridge.enterpriseId()).isEqualTo("E1");
        JsonNode envelope =
                SlackApi.parse(slack.recordings().envelopes("A1").getFirst().payload());
        assertThat(envelope.path("enterprise_id").asText()).isEqualTo("E1");
        assertThat(envelope.path("authorizations").toString())
                .isEqualTo("[{\"enterprise_id\":\"E1\",\"team_id\":\"T7\",\"user_id\":\""
                        + json.path("bot_user_id").asText() + "\",\"is_bot\":true,\"is_enterprise_install\":false}]");
    }
}
