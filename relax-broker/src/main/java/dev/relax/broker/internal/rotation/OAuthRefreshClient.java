/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.core.Secret;
import dev.relax.core.protocol.AppOAuth;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Redeems a refresh token at {@code <SLACK_HOST>/api/oauth.v2.access} ({@code grant_type=refresh_token},
 * https://docs.slack.dev/authentication/using-token-rotation), the app's client id and secret in HTTP Basic.
 * Answers are values; no token ever appears in one's text.
 */
final class OAuthRefreshClient {
    private static final String METHOD = "oauth.v2.access";
    /**
     * Slack's errors after which the refresh token will never work again: the installation's chain of
     * tokens is over. Others are tried again later: a wrong client secret is the app's setup, and
     * {@code invalid_grant_type} a malformed request (a bug or a proxy), which must not remove every
     * rotating installation of a fleet in one scan.
     */
    static final Set<String> FINAL = Set.of("invalid_refresh_token", "token_revoked", "account_inactive");

    private final HttpClient http;
    private final URI endpoint;
    private final Duration timeout;
    private final ObjectMapper json;
    private final BrokerMetrics metrics;

    OAuthRefreshClient(HttpClient http, URI slackHost, Duration timeout, ObjectMapper json, BrokerMetrics metrics) {
        this.http = http;
        String b = slackHost.toString();
        this.endpoint = URI.create((b.endsWith("/") ? b : b + "/") + "api/" + METHOD);
        this.timeout = timeout;
        this.json = json;
        this.metrics = metrics;
    }

    /** What Slack answered a refresh. */
    sealed interface Answer {}

    /** A new pair: {@code token} works for {@code expiresIn}, {@code refreshToken} redeems the next. */
    record Refreshed(Secret token, Secret refreshToken, Duration expiresIn) implements Answer {}

    /** Slack refused for good ({@link #FINAL}): the refresh token is dead. */
    record Refused(String error) implements Answer {}

    /** Failed for now: network, HTTP 5xx or 429 (with its {@code Retry-After}), or another error. */
    record Failed(String reason, Optional<Duration> retryAfter) implements Answer {}

    Answer refresh(AppOAuth oauth, Secret refreshToken) throws InterruptedException {
        String basic = Base64.getEncoder()
                .encodeToString(
                        (oauth.clientId() + ":" + oauth.clientSecret().reveal()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
                        + URLEncoder.encode(refreshToken.reveal(), StandardCharsets.UTF_8)))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            metrics.webApiCall(METHOD, "network_error", System.nanoTime() - start);
            // The type only: a message may quote the request.
            return new Failed("network: " + e.getClass().getSimpleName(), Optional.empty());
        }
        Answer answer = answer(
                response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
        metrics.webApiCall(
                METHOD,
                answer instanceof Refreshed
                        ? "ok"
                        : response.statusCode() == 429
                                ? "ratelimited"
                                : response.statusCode() == 200 ? "error" : "http_error",
                System.nanoTime() - start);
        return answer;
    }

    /** The meaning of Slack's answer; package-private for unit tests. */
    Answer answer(int status, String text, Optional<String> retryAfterHeader) {
        if (status == 429) {
            return new Failed("ratelimited", retryAfterHeader.flatMap(OAuthRefreshClient::seconds));
        }
        if (status != 200) {
            return new Failed("http_" + status, Optional.empty());
        }
        JsonNode body;
        try {
            body = json.readTree(text);
        } catch (IOException e) {
            return new Failed("not_json", Optional.empty());
        }
        if (body == null || !body.path("ok").asBoolean(false)) {
            String error = body == null ? "not_json" : body.path("error").asText("unknown_error");
            return FINAL.contains(error) ? new Refused(error) : new Failed(error, Optional.empty());
        }
        String token = body.path("access_token").asText("");
        String next = body.path("refresh_token").asText("");
        long expiresIn = body.path("expires_in").asLong(0);
        if (token.isEmpty() || next.isEmpty() || expiresIn <= 0) {
            return new Failed("incomplete_answer", Optional.empty());
        }
        return new Refreshed(Secret.of(token), Secret.of(next), Duration.ofSeconds(expiresIn));
    }

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
