/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebApiIT {
    private SlackSimulator slack;
    private SlackApi api;
    private Workspace ws;
    private Bot bot;
    private User alice;

    @BeforeEach
    void start() {
        slack = SlackSimulator.start();
        api = new SlackApi(slack);
        ws = slack.workspace("T1", "Northwind", "northwind");
        alice = ws.user("U1", "alice");
        ws.channel("C1", "general");
        bot = ws.bot("xoxb-bot-1", "UBOT", "relaxbot");
    }

    @AfterEach
    void stop() {
        api.close();
        slack.close();
    }

    @Test
    void acceptsTheTokenAsBearerHeaderOrFormArgument() {
        SlackApi.Reply viaForm = api.form("auth.test", "xoxb-bot-1");
        SlackApi.Reply viaBearer = api.bearer("auth.test", "xoxb-bot-1");

        for (SlackApi.Reply reply : new SlackApi.Reply[] {viaForm, viaBearer}) {
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.ok()).as(reply.json().toString()).isTrue();
            assertThat(reply.json().path("user_id").asText()).isEqualTo("UBOT");
            assertThat(reply.json().path("team_id").asText()).isEqualTo("T1");
            assertThat(reply.json().path("bot_id").asText()).isEqualTo("BBOT");
            assertThat(reply.json().path("url").asText()).isEqualTo("https://northwind.slack.com/");
        }
    }

    /** https://api.slack.com/methods/bots.info: auth.test's bot_id leads to the bot's app. */
    @Test
    void botsInfoNamesTheAppOfAnInstalledBot() {
        Bot installed = slack.app("A0RELAY").install(ws, "xoxb-app-1", "URELAY", "relay");
        String botId =
                api.bearer("auth.test", "xoxb-app-1").json().path("bot_id").asText();

        SlackApi.Reply reply = api.bearer("bots.info", "xoxb-app-1", "bot", botId);

        assertThat(reply.ok()).as(reply.json().toString()).isTrue();
        assertThat(reply.json().path("bot").path("id").asText()).isEqualTo(installed.botId());
        assertThat(reply.json().path("bot").path("app_id").asText()).isEqualTo("A0RELAY");
        assertThat(reply.json().path("bot").path("user_id").asText()).isEqualTo("URELAY");
        assertThat(reply.json().path("bot").path("name").asText()).isEqualTo("relay");
        assertThat(reply.json().path("bot").path("deleted").asBoolean(true)).isFalse();
        // A classic bot belongs to no app; an id the workspace does not know is not found.
        assertThat(api.bearer("bots.info", "xoxb-bot-1", "bot", bot.botId())
                        .json()
                        .path("bot")
                        .has("app_id"))
                .isFalse();
        assertThat(api.bearer("bots.info", "xoxb-bot-1", "bot", "BNOBODY").error())
                .isEqualTo("bot_not_found");
    }

    @Test
    void answersAuthErrorsWithHttp200AsSlackDoes() {
        assertThat(api.form("auth.test", null)).satisfies(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("ok").asBoolean(true)).isFalse();
            assertThat(r.error()).isEqualTo("not_authed");
        });
        assertThat(api.form("auth.test", "xoxb-nobody").error()).isEqualTo("invalid_auth");
    }

    @Test
    void ignoresATokenInsideAJsonBody() {
        // https://api.slack.com/web#posting_json: JSON bodies need the Authorization header.
        assertThat(api.json("auth.test", null, "{\"token\":\"xoxb-bot-1\"}").error())
                .isEqualTo("not_authed");
        assertThat(api.json("chat.postMessage", "xoxb-bot-1", "{\"channel\":\"C1\",\"text\":\"hi\"}")
                        .ok())
                .isTrue();
    }

    @Test
    void revokedAndInactiveTokensFailWithTheirOwnErrors() {
        Bot other = ws.bot("xoxb-bot-2", "UBOT2", "otherbot");

        slack.revoke(bot.token().reveal());
        slack.setAccountInactive(other.token().reveal());

        assertThat(api.form("rtm.connect", "xoxb-bot-1").error()).isEqualTo("token_revoked");
        assertThat(api.form("auth.test", "xoxb-bot-2").error()).isEqualTo("account_inactive");
    }

    @Test
    void rateLimitedMethodAnswers429WithRetryAfterUntilTheWindowEnds() {
        slack.rateLimit("rtm.connect", Duration.ofMillis(1500));

        SlackApi.Reply limited = api.form("rtm.connect", "xoxb-bot-1");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(limited.error()).isEqualTo("ratelimited");
        assertThat(api.form("auth.test", "xoxb-bot-1").ok())
                .as("other methods are not limited")
                .isTrue();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.form("rtm.connect", "xoxb-bot-1").status() == 200);
    }

    @Test
    void refusedConnectionsAnswer503ForConnectMethodsOnly() {
        slack.refuseConnections(Duration.ofSeconds(30));

        assertThat(api.form("rtm.connect", "xoxb-bot-1").status()).isEqualTo(503);
        assertThat(api.form("auth.test", "xoxb-bot-1").ok()).isTrue();
    }

    @Test
    void migrationInProgressFailsRtmConnectForThatTeam() {
        Bot elsewhere = slack.workspace("T2").bot("xoxb-t2", "UT2", "bot2");
        slack.migrationInProgress("T1", Duration.ofSeconds(30));

        assertThat(api.form("rtm.connect", "xoxb-bot-1").error()).isEqualTo("migration_in_progress");
        assertThat(api.form("rtm.connect", elsewhere.token().reveal()).ok()).isTrue();
    }

    @Test
    void rtmConnectAnswersUrlSelfAndTeam() {
        SlackApi.Reply reply = api.form("rtm.connect", "xoxb-bot-1");

        assertThat(reply.ok()).isTrue();
        assertThat(reply.json().path("url").asText()).startsWith("ws://127.0.0.1:");
        assertThat(reply.json().path("self").path("id").asText()).isEqualTo("UBOT");
        assertThat(reply.json().path("self").path("name").asText()).isEqualTo("relaxbot");
        assertThat(reply.json().path("team").path("domain").asText()).isEqualTo("northwind");
        assertThat(reply.json().has("users")).as("rtm.connect has no lists").isFalse();
    }

    @Test
    void rtmStartAlsoListsUsersChannelsGroupsAndIms() {
        ws.privateGroup("G1", "secret");
        ws.im(alice, bot);

        SlackApi.Reply reply = api.form("rtm.start", "xoxb-bot-1");

        assertThat(reply.json().path("users").findValuesAsText("id")).contains("U1", "UBOT");
        assertThat(reply.json().path("channels").get(0).path("id").asText()).isEqualTo("C1");
        assertThat(reply.json().path("groups").get(0).path("name").asText()).isEqualTo("secret");
        assertThat(reply.json().path("ims").get(0).path("user").asText()).isEqualTo("U1");
    }

    @Test
    void tokenKindsAreCheckedPerMethod() {
        App app = slack.app("A1").appToken("xapp-1-A1");
        app.install(ws, "xoxb-app-1", "UAPP");

        assertThat(api.bearer("auth.test", "xapp-1-A1").error()).isEqualTo("not_allowed_token_type");
        assertThat(api.bearer("apps.connections.open", "xoxb-bot-1").error()).isEqualTo("not_allowed_token_type");
        assertThat(api.bearer("rtm.connect", "xoxb-app-1").error())
                .as("RTM is not available to new Slack apps")
                .isEqualTo("not_allowed_token_type");
        assertThat(api.bearer("chat.postMessage", "xoxb-app-1", "channel", "C1", "text", "hi")
                        .ok())
                .isTrue();
    }

    @Test
    void usersInfoAndConversationsInfoFindScriptedObjects() {
        assertThat(api.form("users.info", "xoxb-bot-1", "user", "U1")
                        .json()
                        .path("user")
                        .path("name")
                        .asText())
                .isEqualTo("alice");
        assertThat(api.form("users.info", "xoxb-bot-1", "user", "U404").error()).isEqualTo("user_not_found");
        assertThat(api.form("conversations.info", "xoxb-bot-1", "channel", "C1")
                        .json()
                        .path("channel")
                        .path("name")
                        .asText())
                .isEqualTo("general");
        assertThat(api.form("conversations.info", "xoxb-bot-1", "channel", "C404")
                        .error())
                .isEqualTo("channel_not_found");
        assertThat(api.form("does.not.exist", "xoxb-bot-1").error()).isEqualTo("unknown_method");
    }

    @Test
    void postMessageChecksItsArguments() {
        assertThat(api.form("chat.postMessage", "xoxb-bot-1", "channel", "C404", "text", "hi")
                        .error())
                .isEqualTo("channel_not_found");
        assertThat(api.form("chat.postMessage", "xoxb-bot-1", "channel", "C1").error())
                .isEqualTo("no_text");
        SlackApi.Reply posted = api.form("chat.postMessage", "xoxb-bot-1", "channel", "#general", "text", "hi");
        assertThat(posted.json().path("channel").asText()).isEqualTo("C1");
        assertThat(posted.json().path("message").path("bot_id").asText()).isEqualTo("BBOT");
        assertThat(posted.json().path("ts").asText()).matches("\\d{10}\\.\\d{6}");
    }

    @Test
    void oauthV2AccessExchangesACodeOnceForTheBotToken() {
        App app = slack.app("A1").credentials("123.456", "shh");
        app.install(ws, "xoxb-installed", "UAPP", "appbot");
        String code = app.authorizationCode(ws);

        SlackApi.Reply wrongSecret =
                api.form("oauth.v2.access", null, "client_id", "123.456", "client_secret", "nope", "code", code);
        SlackApi.Reply granted = api.basic("oauth.v2.access", "123.456", "shh", "code", code);
        SlackApi.Reply reused =
                api.form("oauth.v2.access", null, "client_id", "123.456", "client_secret", "shh", "code", code);

        assertThat(wrongSecret.error()).isEqualTo("bad_client_secret");
        assertThat(granted.ok()).as(granted.json().toString()).isTrue();
        assertThat(granted.json().path("access_token").asText()).isEqualTo("xoxb-installed");
        assertThat(granted.json().path("bot_user_id").asText()).isEqualTo("UAPP");
        assertThat(granted.json().path("team").path("id").asText()).isEqualTo("T1");
        assertThat(granted.json().path("authed_user").path("id").asText()).isEqualTo("U1");
        assertThat(reused.error()).isEqualTo("invalid_code");
        assertThat(api.form("oauth.v2.access", null, "client_id", "999", "client_secret", "x", "code", "c")
                        .error())
                .isEqualTo("invalid_client_id");
    }

    @Test
    void recordsEveryCallWithItsTokenMasked() {
        api.form("chat.postMessage", "xoxb-bot-1", "channel", "C1", "text", "hello");
        api.form("auth.test", "xoxb-nobody");

        ApiCall post = slack.recordings().apiCalls("chat.postMessage").getFirst();
        assertThat(post.token().reveal()).isEqualTo("xoxb-bot-1");
        assertThat(post.args())
                .containsEntry("channel", "C1")
                .containsEntry("text", "hello")
                .doesNotContainKey("token");
        assertThat(post.ok()).isTrue();
        assertThat(post.toString()).contains("xoxb-****").doesNotContain("xoxb-bot-1");
        assertThat(slack.recordings().apiCalls("auth.test").getFirst().error()).isEqualTo("invalid_auth");
    }
}
