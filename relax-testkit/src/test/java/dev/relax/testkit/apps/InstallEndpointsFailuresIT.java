/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way an install can fail ends on its page, with its status, clears the cookie and stores nothing:
 * a callback in another browser, a replayed callback, an expired or unknown state, the person saying no,
 * a code Slack refuses; and the endpoints refuse what they do not serve.
 */
class InstallEndpointsFailuresIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final String CLEARED = "relax_oauth_state=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax";

    /** Starts an install in {@code browser} and consents on Slack's page: the redirect back, not yet followed. */
    private static String consent(OAuthFixture f, InstallBrowser browser, Workspace ws, User user, String decision) {
        InstallBrowser.Page page = browser.get(f.installUrl());
        InstallBrowser.Page consent = browser.get(InstallBrowser.addToSlackLink(page));
        InstallBrowser.Page redirect =
                browser.submit(consent, "decision", decision, "team", ws.id(), "user", user.id());
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.location()).startsWith(f.redirect + "?");
        return redirect.location();
    }

    private static Workspace workspace(SlackSimulator slack, OAuthFixture f) {
        Workspace ws = slack.workspace("T" + f.id, "Acme " + f.id, "acme");
        ws.user("UA" + f.id, "alice");
        return ws;
    }

    private static User alice(OAuthFixture f) {
        return new User("T" + f.id, "UA" + f.id, "alice", "alice");
    }

    @Test
    void aCallbackInAnotherBrowserIsRefusedAndConsumesNothing(SlackSimulator slack, EmbeddedRedis redis) {
        try (OAuthFixture f = new OAuthFixture(slack, redis, o -> o);
                InstallBrowser mine = InstallBrowser.manual();
                InstallBrowser other = InstallBrowser.manual()) {
            Workspace ws = workspace(slack, f);
            String callback = consent(f, mine, ws, alice(f), "allow");

            InstallBrowser.Page refused = other.get(callback);

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body())
                    .contains(
                            "<p id=\"result\">This installation was started in another browser. Start it again here.</p>");
            assertThat(refused.cookies()).containsExactly(CLEARED);
            assertThat(f.installations()).isEmpty();
            assertThat(f.stateKeys()).hasSize(1);
            assertThat(f.accessCalls(slack)).isEmpty();
            // The browser that started it still finishes it.
            assertThat(mine.get(callback).status()).isEqualTo(200);
            assertThat(f.installations()).containsOnlyKeys(f.appId + ":" + ws.id());
            assertThat(f.broker.metrics().value("relax_oauth_installs_total{result=\"other_browser\"}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void aReplayedCallbackIsRefusedOnceTheStateIsUsed(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (OAuthFixture f = new OAuthFixture(slack, redis, o -> o);
                InstallBrowser browser = InstallBrowser.manual();
                HttpClient attacker = HttpClient.newHttpClient()) {
            Workspace ws = workspace(slack, f);
            String callback = consent(f, browser, ws, alice(f), "allow");
            String state = InstallBrowser.param(callback, "state");

            HttpResponse<String> first = getWithCookie(attacker, callback, state);
            HttpResponse<String> replay = getWithCookie(attacker, callback, state);

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(replay.statusCode()).isEqualTo(400);
            assertThat(replay.body())
                    .contains("<p id=\"result\">This install link has expired or was already used."
                            + " Start the installation again.</p>");
            assertThat(replay.headers().allValues("Set-Cookie")).containsExactly(CLEARED);
            assertThat(f.installations()).containsOnlyKeys(f.appId + ":" + ws.id());
            assertThat(f.accessCalls(slack)).hasSize(1);
            assertThat(f.broker.metrics().value("relax_oauth_installs_total{result=\"invalid_state\"}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void anExpiredStateIsRefused(SlackSimulator slack, EmbeddedRedis redis) {
        try (OAuthFixture f = new OAuthFixture(slack, redis, o -> o);
                InstallBrowser browser = InstallBrowser.manual()) {
            Workspace ws = workspace(slack, f);
            String callback = consent(f, browser, ws, alice(f), "allow");
            // What Redis does when the TTL runs out.
            f.broker.redis().del(f.stateKeys().toArray(String[]::new));

            InstallBrowser.Page refused = browser.get(callback);

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("This install link has expired or was already used.");
            assertThat(refused.cookies()).containsExactly(CLEARED);
            assertThat(f.installations()).isEmpty();
            assertThat(f.accessCalls(slack)).isEmpty();
        }
    }

    @Test
    void sayingNoOnSlacksPageEndsCancelledAndStoresNothing(SlackSimulator slack, EmbeddedRedis redis) {
        try (OAuthFixture f = new OAuthFixture(slack, redis, o -> o);
                InstallBrowser browser = InstallBrowser.manual()) {
            Workspace ws = workspace(slack, f);
            String callback = consent(f, browser, ws, alice(f), "deny");

            InstallBrowser.Page cancelled = browser.get(callback);

            assertThat(InstallBrowser.param(callback, "error")).isEqualTo("access_denied");
            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(cancelled.body())
                    .contains("<title>Installation cancelled</title>")
                    .contains("<p id=\"result\">App " + f.appId + " was not installed (access_denied).</p>");
            assertThat(cancelled.cookies()).containsExactly(CLEARED);
            assertThat(f.installations()).isEmpty();
            assertThat(f.stateKeys()).isEmpty();
            assertThat(f.broker.metrics().value("relax_oauth_installs_total{result=\"cancelled\"}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void aCodeSlackRefusesEndsOnAPageNamingSlacksError(SlackSimulator slack, EmbeddedRedis redis) {
        try (OAuthFixture f = new OAuthFixture(slack, redis, o -> o);
                InstallBrowser browser = InstallBrowser.manual()) {
            Workspace ws = workspace(slack, f);
            String callback = consent(f, browser, ws, alice(f), "allow");
            String forged = callback.replaceFirst("code=[^&]+", "code=not-a-code");

            InstallBrowser.Page failed = browser.get(forged);

            assertThat(failed.status()).isEqualTo(502);
            assertThat(failed.body())
                    .contains("<p id=\"result\">Slack refused to install app " + f.appId + ": invalid_code.</p>");
            assertThat(failed.cookies()).containsExactly(CLEARED);
            assertThat(f.installations()).isEmpty();
            assertThat(f.accessCalls(slack)).singleElement().satisfies(call -> assertThat(call.error())
                    .isEqualTo("invalid_code"));
            assertThat(f.broker.metrics().value("relax_oauth_installs_total{result=\"slack_error\"}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void theEndpointsRefuseUnknownAppsAndOtherMethods(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (OAuthFixture f = new OAuthFixture(slack, redis, o -> o);
                InstallBrowser browser = InstallBrowser.manual();
                HttpClient http = HttpClient.newHttpClient()) {
            InstallBrowser.Page unknown = browser.get(f.brokerUrl + "/slack/install/ANOPE");
            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(URI.create(f.installUrl()))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<Void> head = http.send(
                    HttpRequest.newBuilder(URI.create(f.redirect)).HEAD().build(),
                    HttpResponse.BodyHandlers.discarding());

            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.body())
                    .contains("<p id=\"result\">App ANOPE is not registered for installing with Slack.</p>");
            assertThat(unknown.cookies()).isEmpty();
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET");
            assertThat(head.statusCode()).isEqualTo(405);
            assertThat(f.stateKeys()).isEmpty();
        }
    }

    private static HttpResponse<String> getWithCookie(HttpClient http, String url, String state)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Cookie", "relax_oauth_state=" + state)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
