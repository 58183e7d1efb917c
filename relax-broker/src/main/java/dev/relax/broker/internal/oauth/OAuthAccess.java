/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * Slack's {@code oauth.v2.access} (https://docs.slack.dev/reference/methods/oauth.v2.access) for the install
 * flow: exchanges a code for the installation's tokens, the client credentials in the HTTP Basic {@code
 * Authorization} header (never in the body, so never in a proxy's access log). Uses the broker's shared
 * HTTP client, which it does not close. Thread-safe.
 */
public final class OAuthAccess {
    private final HttpClient http;
    private final URI endpoint;
    private final ObjectMapper json;
    private final Duration timeout;

    /**
     * @param slackHost Slack's base URL ({@code https://slack.com}; the simulator's in tests)
     */
    public OAuthAccess(HttpClient http, URI slackHost, ObjectMapper json, Duration timeout) {
        this.http = http;
        String base = slackHost.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "api/oauth.v2.access");
        this.json = json;
        this.timeout = timeout;
    }

    /**
     * Slack's answer: its body when {@code ok}, else the error it named ({@code invalid_code}, ...) or, when
     * Slack could not be asked, {@code http_<status>} or {@code network_error}.
     */
    public record Answer(JsonNode body, String error) {
        boolean ok() {
            return error.isEmpty();
        }
    }

    /** Exchanges {@code code}, issued for {@code oauth.redirectUrl()}; blocks up to the timeout. */
    public Answer exchange(AppOAuth oauth, String code) throws InterruptedException {
        String form = "code=" + encode(code) + "&redirect_uri=" + encode(oauth.redirectUrl());
        String credentials = Base64.getEncoder()
                .encodeToString((encode(oauth.clientId()) + ":"
                                + encode(oauth.clientSecret().reveal()))
                        .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Answer(null, "network_error");
        }
        if (response.statusCode() != 200) {
            return new Answer(null, "http_" + response.statusCode());
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            return new Answer(null, "invalid_response");
        }
        if (!body.path("ok").asBoolean(false)) {
            String error = body.path("error").asText("");
            return new Answer(null, error.isEmpty() ? "invalid_response" : error);
        }
        return new Answer(body, "");
    }

    /** Form encoding, as RFC 6749 also asks of the client id and secret in the Basic header. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
