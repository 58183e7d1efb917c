/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The OAuth snippet of relax-testkit/README.md, kept compiling and passing here. */
class ReadmeOAuthExampleIT {
    @Test
    void addToSlack() throws Exception {
        // README snippet: begin
        try (SlackSimulator slack = SlackSimulator.start();
                HttpClient http = HttpClient.newHttpClient()) { // does not follow redirects
            Workspace ws = slack.workspace("T1", "Acme", "acme");
            ws.user("U1", "alice");
            slack.app("A1")
                    .oauth("111.222", "client-secret")
                    .redirectUrl(URI.create("https://bot.example/slack/oauth_redirect"))
                    .tokenRotation(Duration.ofHours(12));

            // What a browser posts when the person clicks Allow (id "allow") on the consent page that
            // GET <baseUrl>/oauth/v2/authorize?client_id=111.222&scope=chat:write&state=xyz shows:
            HttpResponse<String> allowed = http.send(
                    HttpRequest.newBuilder(URI.create(slack.baseUrl() + "/oauth/v2/authorize"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "client_id=111.222&scope=chat:write&state=xyz&team=T1&user=U1&decision=allow"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String location = allowed.headers().firstValue("Location").orElseThrow();
            // https://bot.example/slack/oauth_redirect?code=…&state=xyz: the code under test exchanges the code
            String code = location.replaceAll(".*code=([^&]+).*", "$1");
            String basic = Base64.getEncoder().encodeToString("111.222:client-secret".getBytes());
            http.send(
                    HttpRequest.newBuilder(URI.create(slack.baseUrl() + "/api/oauth.v2.access"))
                            .header("Authorization", "Basic " + basic)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("code=" + code))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            OAuthInstallation installed =
                    slack.recordings().oauthInstallations().getFirst();
            assertThat(installed.teamId()).isEqualTo("T1");
            assertThat(installed.installerUserId()).isEqualTo("U1");
            assertThat(installed.botToken().reveal()).startsWith("xoxe.xoxb-1-");
        }
        // README snippet: end
    }
}
