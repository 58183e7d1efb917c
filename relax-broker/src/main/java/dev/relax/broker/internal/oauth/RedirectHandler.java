/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.http.LogText;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /slack/oauth_redirect?code=…&state=…} (or {@code ?error=…&state=…}): where Slack sends the
 * person back. The state must be the one in this browser's cookie (else nothing is consumed: the callback
 * was opened in another browser), and is then consumed in Redis (GETDEL: expired, unknown or replayed
 * states end here). An {@code error} ends the flow as cancelled; a code is exchanged with {@code
 * oauth.v2.access} and the installation Slack returned is stored with its {@code installation_added}
 * command. Every outcome ends on a page, clears the cookie, is logged once and counted in {@code
 * relax_oauth_installs_total{result}}. Runs on the HTTP server's threads; thread-safe.
 */
public final class RedirectHandler implements HttpHandler {
    /** Tries at saving an approved installation while Redis fails: about 4 s in all. */
    private static final int SAVE_TRIES = 6;

    private static final Logger log = LoggerFactory.getLogger(RedirectHandler.class);

    /** The path this handler serves, registered as an HTTP context. */
    public static final String CONTEXT = "/slack/oauth_redirect";

    /** Every result counted, each from 0. */
    static final String[] RESULTS = {
        "installed",
        "cancelled",
        "other_browser",
        "invalid_state",
        "unknown_app",
        "bad_request",
        "slack_error",
        "wrong_app",
        "unavailable",
        "method_not_allowed"
    };

    private final Supplier<OAuthBackend> backend;
    private final URI slackHost;
    private final Clock clock;
    private final BrokerMetrics metrics;

    public RedirectHandler(Supplier<OAuthBackend> backend, URI slackHost, Clock clock, BrokerMetrics metrics) {
        this.backend = backend;
        this.slackHost = slackHost;
        this.clock = clock;
        this.metrics = metrics;
        for (String result : RESULTS) {
            metrics.oauthInstalls(result);
        }
    }

    /** One outcome: the page, the result counted, and whether the cookie goes with {@code Secure}. */
    private record Outcome(OAuthPages.Page page, String result, boolean secure) {}

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Outcome outcome;
        try {
            outcome = serve(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = unavailable("interrupted", false);
        } catch (RuntimeException e) { // Redis unreachable, a bug: the state may or may not be consumed
            outcome = unavailable(e.toString(), false);
        }
        metrics.oauthInstall(outcome.result());
        exchange.getResponseHeaders().add("Set-Cookie", OAuthCookie.clear(outcome.secure()));
        OAuthPages.send(exchange, outcome.page());
    }

    private Outcome serve(HttpExchange exchange) throws InterruptedException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET");
            return new Outcome(
                    OAuthPages.failure(405, "Method not allowed", "Open this page with GET."),
                    "method_not_allowed",
                    false);
        }
        if (!exchange.getRequestURI().getPath().equals(CONTEXT)) {
            return new Outcome(OAuthPages.failure(404, "Not found", "There is no such page."), "bad_request", false);
        }
        OAuthBackend b = backend.get();
        if (b == null) {
            log.warn("install redirect refused: the broker is not ready yet");
            return new Outcome(
                    OAuthPages.failure(
                            503, "Not ready yet", "The broker is starting and cannot finish installs yet. Try again."),
                    "unavailable",
                    false);
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String state = query.getOrDefault("state", "");
        String cookie = OAuthCookie.read(exchange.getRequestHeaders().get("Cookie"));
        if (!OAuthCookie.same(cookie, state)) {
            // Nothing consumed: the browser that started the flow may still finish it.
            log.warn(
                    "install redirect refused: its state is not this browser's ({})",
                    cookie.isEmpty() ? "no cookie" : "another state");
            return new Outcome(
                    OAuthPages.failure(
                            400,
                            "Installation not finished",
                            "This installation was started in another browser. Start it again here."),
                    "other_browser",
                    false);
        }
        String appId = b.store().takeState(state);
        if (appId == null) {
            log.warn("install redirect refused: its state has expired, is unknown or was already used");
            return new Outcome(
                    OAuthPages.failure(
                            400,
                            "Installation not finished",
                            "This install link has expired or was already used. Start the installation again."),
                    "invalid_state",
                    false);
        }
        AppRegistration app = b.apps().app(appId);
        if (app == null || !app.oauth().enabled()) {
            log.warn("app {}: install redirect refused: the app is no longer registered with OAuth", appId);
            return new Outcome(
                    OAuthPages.failure(404, "Unknown app", "App " + appId + " is no longer registered for installing."),
                    "unknown_app",
                    false);
        }
        boolean secure = app.oauth().redirectUrl().startsWith("https://");
        String error = query.getOrDefault("error", "");
        if (!error.isEmpty()) {
            log.info("app {}: installation cancelled ({})", appId, LogText.escape(error));
            return new Outcome(
                    OAuthPages.failure(
                            200, "Installation cancelled", "App " + appId + " was not installed (" + error + ")."),
                    "cancelled",
                    secure);
        }
        String code = query.getOrDefault("code", "");
        if (code.isEmpty()) {
            log.warn("app {}: install redirect refused: it carries neither a code nor an error", appId);
            return new Outcome(
                    OAuthPages.failure(
                            400, "Installation not finished", "Slack sent no code. Start the installation again."),
                    "bad_request",
                    secure);
        }
        OAuthAccess.Answer answer = b.access().exchange(app.oauth(), code);
        if (!answer.ok()) {
            log.warn("app {}: installation failed: oauth.v2.access answered {}", appId, LogText.escape(answer.error()));
            return new Outcome(
                    OAuthPages.failure(
                            502,
                            "Installation failed",
                            "Slack refused to install app " + appId + ": " + answer.error() + "."),
                    "slack_error",
                    secure);
        }
        JsonNode body = answer.body();
        String installedApp = body.path("app_id").asText("");
        if (!installedApp.equals(appId)) {
            log.warn(
                    "app {}: installation failed: oauth.v2.access answered for app {}",
                    appId,
                    LogText.escape(installedApp));
            return new Outcome(
                    OAuthPages.failure(
                            502, "Installation failed", "Slack answered for another app than " + appId + "."),
                    "wrong_app",
                    secure);
        }
        Installation installation = AccessAnswer.installation(appId, body, clock.instant());
        if (!saveRetrying(b.store(), installation)) {
            return new Outcome(
                    OAuthPages.failure(
                            503,
                            "Installation not saved",
                            "Slack approved the installation, but it could not be saved. Start the installation"
                                    + " again from the app's install page."),
                    "unavailable",
                    secure);
        }
        String place = installation.hashField().substring(appId.length() + 1);
        log.info(
                "app {}: installed in {}{} by {}",
                appId,
                place,
                installation.enterpriseInstall() ? " (org-wide)" : "",
                installation.installerUserId());
        return new Outcome(
                OAuthPages.installed(appId, AccessAnswer.where(body), slackLink(appId, installation)),
                "installed",
                secure);
    }

    /**
     * Saves, retrying while Redis fails for a few seconds: the code is spent and the state consumed, so a
     * failure here loses the tokens Slack just issued (the person must install again). Logged at ERROR then.
     */
    private static boolean saveRetrying(OAuthStore store, Installation installation) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                store.save(installation);
                return true;
            } catch (RuntimeException e) {
                if (attempt == SAVE_TRIES) {
                    log.error(
                            "app {}: the installation in {} approved by Slack could not be saved after {} tries ({});"
                                    + " it must be installed again",
                            installation.appId(),
                            installation.hashField(),
                            attempt,
                            LogText.escape(e.toString()));
                    return false;
                }
                Thread.sleep(Math.min(1_000L, 100L << attempt));
            }
        }
    }

    private Outcome unavailable(String why, boolean secure) {
        log.warn("install redirect failed: {}", LogText.escape(why));
        return new Outcome(
                OAuthPages.failure(
                        503, "Installation unavailable", "The installation could not be finished. Try again."),
                "unavailable",
                secure);
    }

    /** Into Slack, to the app (https://docs.slack.dev/interactivity/deep-linking). */
    private String slackLink(String appId, Installation installation) {
        String base = slackHost.toString();
        String link = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/app_redirect?app="
                + encode(appId);
        return installation.teamId().isEmpty() ? link : link + "&team=" + encode(installation.teamId());
    }

    /** The first value of each parameter of a raw query. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(name, value);
        }
        return out;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
