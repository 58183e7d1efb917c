/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.core.Secret;
import dev.relax.testkit.EventDelivery;
import dev.relax.testkit.SlackSignature;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events API delivery over HTTP (https://api.slack.com/apis/events-api): signed POSTs
 * (https://api.slack.com/authentication/verifying-requests-from-slack), and retries as Slack documents
 * them under "Failure conditions": no answer within the timeout ({@code http_timeout}, without waiting
 * for a late answer), a non-2xx answer ({@code http_error}), no connection ({@code connection_failed});
 * each retried with {@code X-Slack-Retry-Num} and {@code X-Slack-Retry-Reason}, up to the retry limit,
 * unless a failed answer carries {@code X-Slack-No-Retry: 1}. Requests are asynchronous.
 */
public final class EventsApiSender {
    private static final Logger LOG = LoggerFactory.getLogger(EventsApiSender.class);
    private static final String USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)";

    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Settings settings;
    private final Recorder recorder;
    private final Ids ids;

    public EventsApiSender(
            HttpClient http, ScheduledExecutorService scheduler, Settings settings, Recorder recorder, Ids ids) {
        this.http = http;
        this.scheduler = scheduler;
        this.settings = settings;
        this.recorder = recorder;
        this.ids = ids;
    }

    /** Posts an {@code event_callback} body, retrying on failure; returns at once. */
    public void send(AppState app, URI url, String eventId, String body) {
        attempt(app, url, eventId, body, 0, "");
    }

    private void attempt(AppState app, URI url, String eventId, String body, int retryNum, String retryReason) {
        http.sendAsync(
                        request(app.signingSecret(), url, body, retryNum, retryReason),
                        HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    int status = response == null ? -1 : response.statusCode();
                    String failure = failure(response, error);
                    recorder.delivery(new EventDelivery(
                            ids.now(),
                            app.id(),
                            eventId,
                            "event_callback",
                            retryNum,
                            retryReason,
                            status,
                            failure,
                            body));
                    boolean noRetry = response != null
                            && "1"
                                    .equals(response.headers()
                                            .firstValue("X-Slack-No-Retry")
                                            .orElse(""));
                    if (failure.isEmpty() || noRetry || retryNum >= settings.maxRetries()) {
                        return;
                    }
                    LOG.debug("app={} event={} attempt={} failed: {}", app.id(), eventId, retryNum, failure);
                    scheduler.schedule(
                            () -> attempt(app, url, eventId, body, retryNum + 1, failure),
                            settings.retryDelay(retryNum + 1).toNanos(),
                            TimeUnit.NANOSECONDS);
                });
    }

    /**
     * Sends {@code url_verification} and waits for the answer. True when the endpoint echoed the
     * challenge as plain text, JSON or a form (https://api.slack.com/events/url_verification).
     */
    public boolean verify(AppState app, URI url) throws InterruptedException {
        String challenge = ids.secret();
        ObjectNode payload = Json.object();
        payload.put("token", app.verificationToken());
        payload.put("challenge", challenge);
        payload.put("type", "url_verification");
        String body = Json.write(payload);
        int status = -1;
        String failure;
        String answer = "";
        try {
            HttpResponse<String> response =
                    http.send(request(app.signingSecret(), url, body, 0, ""), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            answer = response.body();
            failure = failure(response, null);
        } catch (java.io.IOException e) {
            failure = failure(null, e);
        }
        recorder.delivery(new EventDelivery(ids.now(), app.id(), "", "url_verification", 0, "", status, failure, body));
        return failure.isEmpty() && echoes(answer, challenge);
    }

    private static boolean echoes(String answer, String challenge) {
        String trimmed = answer.trim();
        if (trimmed.equals(challenge)) {
            return true;
        }
        JsonNode json = Json.parse(trimmed);
        if (json != null && challenge.equals(json.path("challenge").asText())) {
            return true;
        }
        for (String pair : trimmed.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0
                    && pair.substring(0, eq).equals("challenge")
                    && URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)
                            .equals(challenge)) {
                return true;
            }
        }
        return false;
    }

    private HttpRequest request(Secret signingSecret, URI url, String body, int retryNum, String retryReason) {
        String timestamp = Long.toString(ids.epochSeconds());
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(settings.eventsTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", SlackSignature.sign(signingSecret.reveal(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (retryNum > 0) {
            request.header("X-Slack-Retry-Num", Integer.toString(retryNum)).header("X-Slack-Retry-Reason", retryReason);
        }
        return request.build();
    }

    private static String failure(HttpResponse<String> response, Throwable error) {
        if (error == null) {
            int status = response.statusCode();
            return status >= 200 && status < 300 ? "" : "http_error";
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            return "http_timeout";
        }
        if (cause instanceof ConnectException) {
            return "connection_failed";
        }
        return "unknown_error";
    }
}
