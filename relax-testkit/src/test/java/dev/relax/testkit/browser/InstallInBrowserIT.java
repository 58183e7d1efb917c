/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppOAuth;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.App;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.OAuthInstallation;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.Workspace;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The install flow in a real browser (headless Chromium through Selenium): the broker's install page, its
 * Add to Slack button, Slack's consent page (the simulator's), and the broker's success page, with the
 * state cookie carried by the browser itself.
 */
class InstallInBrowserIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String path(String url) {
        return URI.create(url).getPath();
    }

    @Test
    void aPersonAddsTheAppToTheirWorkspaceInABrowser(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace ws = slack.workspace("TBRW1", "Acme", "acme");
        ws.user("UBRW1", "alice");
        App app = slack.app("ABRW1").appToken("xapp-1-ABRW1-secret").oauth("111.BRW1", "client-s3cret");
        try (TestBroker broker = TestBroker.builder(slack, redis)
                        .config(c -> c.keysWithPrefix("brw1"))
                        .start();
                Chromium chromium = Chromium.start()) {
            String base = "http://127.0.0.1:" + broker.broker().httpPort();
            app.redirectUrl(URI.create(base + "/slack/oauth_redirect"));
            broker.client()
                    .registerApp(AppRegistration.socketMode(app.id(), "xapp-1-ABRW1-secret")
                            .withConnections(1)
                            .withOAuth(AppOAuth.of(
                                    "111.BRW1",
                                    "client-s3cret",
                                    List.of("app_mentions:read", "chat:write"),
                                    base + "/slack/oauth_redirect")));
            await().atMost(WAIT).until(() -> app.openConnections() == 1);
            var browser = chromium.driver();

            browser.get(base + "/slack/install/" + app.id());
            browser.findElement(By.partialLinkText("Add to Slack")).click();

            // A click returns before the next page has loaded: wait for the browser to be there.
            await().atMost(WAIT).until(() -> path(browser.getCurrentUrl()).equals("/oauth/v2/authorize"));
            new Select(browser.findElement(By.name("team"))).selectByValue(ws.id());
            browser.findElement(By.id("allow")).click();

            await().atMost(WAIT).until(() -> path(browser.getCurrentUrl()).equals("/slack/oauth_redirect"));
            assertThat(browser.findElement(By.tagName("body")).getText()).contains("Acme");
            assertThat(browser.manage().getCookies()).isEmpty();
            OAuthInstallation installed =
                    slack.recordings().oauthInstallations().getFirst();
            String stored =
                    broker.redis().hget(broker.config().installationsKey(), Installation.hashField(app.id(), ws.id()));
            Installation installation = RelaxJson.decodeInstallation(stored);
            assertThat(installation.botUserId()).isEqualTo(installed.botUserId());
            assertThat(installation.botToken()).isEqualTo(installed.botToken());
            assertThat(installation.installerUserId()).isEqualTo("UBRW1");
        }
    }
}
