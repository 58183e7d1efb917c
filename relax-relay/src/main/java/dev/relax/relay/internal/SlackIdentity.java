/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.RelaxException;
import dev.relax.core.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Who the quick start's bot token belongs to, asked of Slack once at start: the workspace and the bot user
 * from <a href="https://api.slack.com/methods/auth.test">auth.test</a>, and the app from its {@code app_id}
 * when it has one, else from <a href="https://api.slack.com/methods/bots.info">bots.info</a> of its {@code
 * bot_id} ({@code bot.app_id}); {@code SLACK_APP_ID} spares that call.
 *
 * @param appId the Slack app ({@code A…})
 * @param teamId the workspace ({@code T…})
 * @param botUserId the app's bot user in that workspace ({@code U…})
 */
record SlackIdentity(String appId, String teamId, String botUserId) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /**
     * Asks {@code slackHost} who {@code botToken} is.
     *
     * @param appId the app id when known ({@code SLACK_APP_ID}), or empty
     * @throws IllegalArgumentException when Slack refuses the token or knows no app for it: a configuration
     *     error, named by variable, without the token
     * @throws RelaxException when Slack cannot be asked (network, HTTP error)
     */
    static SlackIdentity lookUp(HttpClient http, URI slackHost, Secret botToken, String appId) {
        JsonNode auth = call(http, slackHost, botToken, "auth.test", "");
        String team = auth.path("team_id").asText("");
        String user = auth.path("user_id").asText("");
        if (team.isEmpty() || user.isEmpty()) {
            throw new IllegalArgumentException(
                    RelayEnvironment.SLACK_BOT_TOKEN + " is not a bot token: auth.test names no team_id and user_id");
        }
        String app = appId;
        if (app.isEmpty()) {
            app = auth.path("app_id").asText("");
        }
        if (app.isEmpty()) {
            String bot = auth.path("bot_id").asText("");
            if (bot.isEmpty()) {
                throw new IllegalArgumentException(
                        RelayEnvironment.SLACK_BOT_TOKEN + " is not a bot token: auth.test names no bot_id");
            }
            JsonNode info = call(
                    http, slackHost, botToken, "bots.info", "bot=" + URLEncoder.encode(bot, StandardCharsets.UTF_8));
            app = info.path("bot").path("app_id").asText("");
            if (app.isEmpty()) {
                throw new IllegalArgumentException("Slack knows no app of the bot " + bot + " of "
                        + RelayEnvironment.SLACK_BOT_TOKEN + " (bots.info has no app_id); set "
                        + RelayEnvironment.SLACK_APP_ID);
            }
        }
        return new SlackIdentity(app, team, user);
    }

    private static JsonNode call(HttpClient http, URI slackHost, Secret token, String method, String form) {
        URI url = URI.create(slackHost.toString().replaceAll("/+$", "") + "/api/" + method);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token.reveal())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RelaxException("cannot call Slack's " + method + " at " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelaxException("interrupted while calling Slack's " + method, e);
        }
        if (response.statusCode() != 200) {
            throw new RelaxException(
                    "Slack's " + method + " at " + url + " answered HTTP " + response.statusCode() + ", not 200");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RelaxException("Slack's " + method + " at " + url + " answered with no JSON", e);
        }
        if (!body.path("ok").asBoolean(false)) {
            String error = body.path("error").asText("unknown");
            if (error.equals("missing_scope")) {
                throw new IllegalArgumentException("Slack's " + method + " needs the scope "
                        + body.path("needed").asText("?") + ", which the app of "
                        + RelayEnvironment.SLACK_BOT_TOKEN + " lacks: add it (java -jar relax-relay.jar manifest"
                        + " lists every scope the relay needs), or set " + RelayEnvironment.SLACK_APP_ID);
            }
            throw new IllegalArgumentException(
                    RelayEnvironment.SLACK_BOT_TOKEN + " was refused by Slack's " + method + ": " + error);
        }
        return body;
    }
}
