/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static dev.relax.testkit.apps.OAuthFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.client.CallResult;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.Command;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.AddToSlack;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.OAuthInstallation;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Add to Slack" through the broker, end to end: {@code /slack/install/<app>}, Slack's consent page, {@code
 * /slack/oauth_redirect}; the installation stored as Slack returned it, working for events and replies,
 * and gone when Slack uninstalls the app.
 */
class InstallEndpointsIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    @Test
    void aBrowserThatFollowsRedirectsInstallsTheAppAndTheBotGetsEventsAndReplies(
            SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (OAuthFixture f = new OAuthFixture(slack, redis, o -> o.withUserScopes(List.of("search:read"))
                        .withDirectInstall(true));
                AddToSlack browser = AddToSlack.browser()) {
            Workspace ws = slack.workspace("T" + f.id, "Acme " + f.id, "acme");
            User alice = ws.user("UA" + f.id, "alice");
            Channel general = ws.channel("C" + f.id, "general");

            // A direct install: the broker redirects straight to Slack's consent page.
            AddToSlack.Page consent = browser.open(URI.create(f.installUrl()));
            AddToSlack.Page done = browser.allow(ws.id(), alice.id());

            OAuthInstallation granted = slack.recordings().oauthInstallations().stream()
                    .filter(i -> i.appId().equals(f.appId))
                    .findFirst()
                    .orElseThrow();
            assertThat(consent.url().toString()).startsWith(slack.baseUrl() + "/oauth/v2/authorize?");
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.url().toString()).startsWith(f.redirect + "?code=");
            assertThat(done.body())
                    .contains("<p id=\"result\">App <code>" + f.appId + "</code> was installed in <strong>Acme " + f.id
                            + "</strong>.</p>")
                    .contains("<a id=\"open-slack\" href=\"" + slack.baseUrl() + "/app_redirect?app=" + f.appId
                            + "&amp;team=" + ws.id() + "\">")
                    .doesNotContain("<script")
                    .doesNotContain(granted.botToken().reveal())
                    .doesNotContain(OAuthFixture.CLIENT_SECRET);
            assertThat(browser.cookies(URI.create(f.redirect))).isEmpty();

            String field = f.appId + ":" + ws.id();
            assertThat(f.installations()).containsOnlyKeys(field);
            assertThat(f.installations().get(field))
                    .doesNotContain(granted.botToken().reveal())
                    .doesNotContain(granted.userToken().reveal());
            Installation stored = f.installation(field);
            assertThat(List.of(
                            stored.teamId(),
                            stored.botUserId(),
                            stored.botToken().reveal(),
                            stored.botScopes(),
                            stored.installerUserId(),
                            stored.userToken().reveal(),
                            stored.userScopes(),
                            stored.enterpriseId()))
                    .containsExactly(
                            ws.id(),
                            granted.botUserId(),
                            granted.botToken().reveal(),
                            "chat:write,app_mentions:read",
                            alice.id(),
                            granted.userToken().reveal(),
                            "search:read",
                            "");
            assertThat(stored.enterpriseInstall()).isFalse();
            assertThat(stored.rotatesBotToken()).isFalse();
            await().atMost(WAIT).untilAsserted(() -> assertThat(f.published())
                    .containsExactly(RelaxJson.encodeCommand(new Command.InstallationAdded(f.appId, ws.id()))));
            assertThat(f.stateKeys()).isEmpty();
            assertThat(f.broker.metrics().value("relax_oauth_installs_total{result=\"installed\"}"))
                    .isEqualTo(1.0);

            await().atMost(WAIT).until(() -> f.app.openConnections() == 1);
            ws.as(alice).post(general, "<@" + granted.botUserId() + "> ping");
            await().atMost(WAIT).until(() -> !f.broker.events().isEmpty());
            WireEvent event = f.broker.events().getFirst();
            assertThat(List.of(event.type(), event.teamUid(), event.relaxBotUid(), event.appId()))
                    .containsExactly("message_new", ws.id(), granted.botUserId(), f.appId);

            CallResult reply = f.broker
                    .client()
                    .reply(RelaxEvent.of(event), "pong")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(reply.ok()).as(reply.toString()).isTrue();
            assertThat(ws.history(general))
                    .extracting(ChannelMessage::text)
                    .containsExactly("<@" + granted.botUserId() + "> ping", "pong");
        }
    }

    @Test
    void theInstallPageBindsAStateToTheBrowserAndLinksToSlacksAuthorizePage(SlackSimulator slack, EmbeddedRedis redis) {
        try (OAuthFixture f = new OAuthFixture(slack, redis, o -> o);
                InstallBrowser browser = InstallBrowser.manual()) {
            InstallBrowser.Page page = browser.get(f.installUrl());

            String link = InstallBrowser.addToSlackLink(page);
            String state = InstallBrowser.param(link, "state");
            assertThat(page.status()).isEqualTo(200);
            assertThat(state).matches("[A-Za-z0-9_-]{43}");
            assertThat(link)
                    .isEqualTo(slack.baseUrl() + "/oauth/v2/authorize?client_id=" + f.clientId
                            + "&scope=chat%3Awrite%2Capp_mentions%3Aread&user_scope=&redirect_uri="
                            + InstallBrowser.encode(f.redirect) + "&state=" + state);
            assertThat(page.cookies())
                    .containsExactly("relax_oauth_state=" + state + "; Path=/; Max-Age=600; HttpOnly; SameSite=Lax");
            assertThat(page.body()).startsWith("<!DOCTYPE html>").doesNotContain("<script");
            String key = f.broker.config().installationsKey() + ":oauth_state:" + state;
            assertThat(f.stateKeys()).containsExactly(key);
            assertThat(f.broker.redis().get(key)).isEqualTo(f.appId);
            assertThat(f.broker.redis().ttl(key)).isBetween(590L, 600L);
        }
    }

    @Test
    void anOrgWideInstallIsStoredUnderTheOrganizationAndServesItsWorkspaces(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        try (OAuthFixture f = new OAuthFixture(slack, redis, o -> o);
                AddToSlack browser = AddToSlack.browser()) {
            String org = "E" + f.id;
            Workspace bridge = slack.enterprise(org, "Starship " + f.id).workspace("T" + f.id, "Bridge", "bridge");
            User kirk = bridge.user("W" + f.id, "kirk");
            f.app.orgWideInstall();

            browser.open(URI.create(f.installUrl()));
            browser.clickAddToSlack();
            AddToSlack.Page done = browser.allow(org, kirk.id());

            assertThat(done.status()).isEqualTo(200);
            assertThat(done.body())
                    .contains("was installed in <strong>Starship " + f.id + "</strong>.")
                    .contains("href=\"" + slack.baseUrl() + "/app_redirect?app=" + f.appId + "\"");
            assertThat(f.installations()).containsOnlyKeys(f.appId + ":" + org);
            Installation stored = f.installation(f.appId + ":" + org);
            assertThat(List.of(stored.teamId(), stored.enterpriseId(), stored.installerUserId()))
                    .containsExactly("", org, kirk.id());
            assertThat(stored.enterpriseInstall()).isTrue();
            await().atMost(WAIT).untilAsserted(() -> assertThat(f.published())
                    .containsExactly(RelaxJson.encodeCommand(new Command.InstallationAdded(f.appId, org))));

            // A workspace of the organization: its events name the bot, and replies use the org-wide token.
            Channel deck = bridge.channel("C" + f.id, "deck");
            String botUser = slack.recordings().oauthInstallations().stream()
                    .filter(i -> i.appId().equals(f.appId))
                    .findFirst()
                    .orElseThrow()
                    .botUserId();
            await().atMost(WAIT).until(() -> f.app.openConnections() == 1);
            bridge.as(kirk).post(deck, "<@" + botUser + "> status?");
            await().atMost(WAIT).until(() -> !f.broker.events().isEmpty());
            WireEvent event = f.broker.events().getFirst();
            assertThat(List.of(event.type(), event.teamUid(), event.relaxBotUid()))
                    .containsExactly("message_new", bridge.id(), botUser);
            CallResult reply = f.broker
                    .client()
                    .reply(RelaxEvent.of(event), "all systems go")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(reply.ok()).as(reply.toString()).isTrue();
            assertThat(bridge.history(deck))
                    .extracting(ChannelMessage::text)
                    .containsExactly("<@" + botUser + "> status?", "all systems go");
        }
    }

    @Test
    void anUninstallDeletesTheInstallationAndPublishesInstallationRemovedOnce(
            SlackSimulator slack, EmbeddedRedis redis) {
        try (OAuthFixture f = new OAuthFixture(slack, redis, o -> o);
                AddToSlack browser = AddToSlack.browser()) {
            Workspace ws = slack.workspace("T" + f.id, "Acme " + f.id, "acme");
            User alice = ws.user("UA" + f.id, "alice");
            browser.open(URI.create(f.installUrl()));
            browser.clickAddToSlack();
            assertThat(browser.allow(ws.id(), alice.id()).status()).isEqualTo(200);
            assertThat(f.installations()).containsOnlyKeys(f.appId + ":" + ws.id());
            await().atMost(WAIT).until(() -> f.app.openConnections() == 1);

            f.app.uninstall(ws);

            // tokens_revoked and app_uninstalled: two disable_bot events, one removal.
            await().atMost(WAIT)
                    .until(() -> f.broker.events().stream()
                                    .filter(e -> e.type().equals("disable_bot"))
                                    .count()
                            == 2);
            await().atMost(WAIT).until(() -> f.installations().isEmpty());
            String added = RelaxJson.encodeCommand(new Command.InstallationAdded(f.appId, ws.id()));
            String removed = RelaxJson.encodeCommand(new Command.InstallationRemoved(f.appId, ws.id()));
            await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() -> assertThat(f.published())
                    .containsExactly(added, removed));
            assertThat(f.broker.events())
                    .filteredOn(e -> e.type().equals("disable_bot"))
                    .extracting(WireEvent::teamUid, WireEvent::appId)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(ws.id(), f.appId));
            assertThat(Map.copyOf(f.installations())).isEmpty();
        }
    }

    @Test
    void anUninstallOverTheEventsApiDeletesTheInstallationToo(SlackSimulator slack, EmbeddedRedis redis) {
        try (TestBroker relax = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix(redis.keyPrefix("oahttp")))
                .start()) {
            EventsApiApp s = EventsApiApp.register(slack, relax, "AOAHTTP", "signing-secret-oa", "TOAHTTP");
            s.pointAt(relax, WAIT);
            String installations = relax.config().installationsKey();
            assertThat(relax.redis().hkeys(installations)).containsExactly("AOAHTTP:TOAHTTP");

            s.app().uninstall(s.ws());

            await().atMost(WAIT).until(() -> relax.redis().hlen(installations) == 0);
            await().atMost(WAIT).untilAsserted(() -> assertThat(relax.events())
                    .extracting(WireEvent::type, WireEvent::teamUid)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("disable_bot", "TOAHTTP"),
                            org.assertj.core.groups.Tuple.tuple("disable_bot", "TOAHTTP")));
        }
    }
}
