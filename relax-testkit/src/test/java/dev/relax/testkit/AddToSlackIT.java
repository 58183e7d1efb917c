/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testkit's scriptless browser through an app's install page, the simulator's consent page, and back. */
class AddToSlackIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK = SlackSimulatorExtension.create();

    private HttpServer app;
    private String appUrl;

    @BeforeEach
    void startApp(SlackSimulator slack) throws IOException {
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        appUrl = "http://127.0.0.1:" + app.getAddress().getPort();
        // The app's install page: a cookie for this browser, and the button.
        app.createContext("/install", exchange -> {
            exchange.getResponseHeaders().add("Set-Cookie", "install-state=s1; Path=/; HttpOnly; SameSite=Lax");
            String client = exchange.getRequestURI().getQuery().substring("client=".length());
            String authorize = slack.baseUrl() + "/oauth/v2/authorize?client_id=" + client + "&amp;scope=chat:write"
                    + "&amp;state=s1&amp;redirect_uri=" + appUrl + "/done";
            send(exchange, "<a href=\"" + authorize + "\">Add to Slack</a>");
        });
        // The app's redirect URL: what came back, and the cookie the browser sent with it.
        app.createContext(
                "/done",
                exchange -> send(
                        exchange,
                        exchange.getRequestURI().getRawQuery() + " cookie="
                                + exchange.getRequestHeaders().getFirst("Cookie")));
        app.start();
    }

    @AfterEach
    void stopApp() {
        app.stop(0);
    }

    private static void send(HttpExchange exchange, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void allowingComesBackToTheAppWithACodeTheStateAndTheCookie(SlackSimulator slack) {
        Workspace ws = slack.workspace("TATS1");
        ws.user("UATS1", "alice");
        slack.app("AATS1").oauth("111.ATS1", "client-s3cret").redirectUrl(URI.create(appUrl + "/done"));

        try (AddToSlack browser = AddToSlack.browser()) {
            browser.open(URI.create(appUrl + "/install?client=111.ATS1"));
            AddToSlack.Page consent = browser.clickAddToSlack();
            assertThat(consent.url().getPath()).isEqualTo("/oauth/v2/authorize");
            assertThat(consent.status()).isEqualTo(200);

            AddToSlack.Page back = browser.allow(ws.id());

            assertThat(back.url().getPath()).isEqualTo("/done");
            String code = slack.recordings().oauthConsents().getFirst().code().reveal();
            assertThat(back.body()).isEqualTo("code=" + code + "&state=s1 cookie=install-state=s1");
            assertThat(browser.cookies(URI.create(appUrl))).containsExactly(java.util.Map.entry("install-state", "s1"));
        }
    }

    @Test
    void denyingComesBackWithAccessDeniedAndClearedCookiesAreNotSent(SlackSimulator slack) {
        slack.workspace("TATS2").user("UATS2", "bob");
        slack.app("AATS2").oauth("111.ATS2", "client-s3cret").redirectUrl(URI.create(appUrl + "/done"));

        try (AddToSlack browser = AddToSlack.browser()) {
            browser.open(URI.create(appUrl + "/install?client=111.ATS2"));
            browser.clickAddToSlack();
            browser.clearCookies();

            AddToSlack.Page back = browser.deny();

            assertThat(back.body()).isEqualTo("error=access_denied&state=s1 cookie=null");
        }
    }
}
