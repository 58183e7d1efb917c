/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.StringJoiner;

/** A plain JDK HTTP client for the simulator's Web API, the way a bot would call Slack. */
final class SlackApi implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One answer: HTTP status, headers and the parsed JSON body. */
    record Reply(int status, HttpHeaders headers, JsonNode json) {
        boolean ok() {
            return json.path("ok").asBoolean(false);
        }

        String error() {
            return json.path("error").asText("");
        }
    }

    private final String baseUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SlackApi(SlackSimulator simulator) {
        this.baseUrl = simulator.baseUrl();
    }

    /** Parses JSON text, such as an envelope's payload. */
    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs a form with the token as the {@code token} argument (none when {@code token} is null). */
    Reply form(String method, String token, String... nameValues) {
        StringJoiner form = new StringJoiner("&");
        if (token != null) {
            form.add("token=" + encode(token));
        }
        addPairs(form, nameValues);
        return send(request(method)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
    }

    /** POSTs a form with the token in {@code Authorization: Bearer}. */
    Reply bearer(String method, String token, String... nameValues) {
        StringJoiner form = new StringJoiner("&");
        addPairs(form, nameValues);
        return send(request(method)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
    }

    /** POSTs a JSON body, with a bearer token unless {@code token} is null. */
    Reply json(String method, String token, String body) {
        HttpRequest.Builder request = request(method).header("Content-Type", "application/json; charset=utf-8");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POSTs a form with HTTP Basic client credentials, as oauth.v2.access recommends. */
    Reply basic(String method, String user, String password, String... nameValues) {
        StringJoiner form = new StringJoiner("&");
        addPairs(form, nameValues);
        String credentials =
                Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return send(request(method)
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
    }

    /** rtm.connect's websocket URL for a bot token; fails the test when rtm.connect fails. */
    String rtmUrl(String token) {
        Reply reply = form("rtm.connect", token);
        if (!reply.ok()) {
            throw new AssertionError("rtm.connect failed: " + reply.json());
        }
        return reply.json().path("url").asText();
    }

    /** apps.connections.open's websocket URL for an app-level token. */
    String socketModeUrl(String appToken) {
        Reply reply = bearer("apps.connections.open", appToken);
        if (!reply.ok()) {
            throw new AssertionError("apps.connections.open failed: " + reply.json());
        }
        return reply.json().path("url").asText();
    }

    private HttpRequest.Builder request(String method) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/api/" + method)).timeout(Duration.ofSeconds(5));
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), MAPPER.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void addPairs(StringJoiner form, String... nameValues) {
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            form.add(encode(nameValues[i]) + "=" + encode(nameValues[i + 1]));
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
