/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.relax.broker.internal.http.LogText;
import dev.relax.core.protocol.AppOAuth;
import dev.relax.core.protocol.AppRegistration;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /slack/install/<app id>}: starts Slack's install flow for an app registered with OAuth. Makes a
 * single-use {@code state}, keeps it in Redis for {@link OAuthCookie#TTL}, binds it to this browser with a
 * cookie, then shows a page with the Add to Slack button or, with {@link AppOAuth#directInstall()},
 * redirects (302) straight to Slack's authorize page
 * (https://docs.slack.dev/authentication/installing-with-oauth). Other methods get 405; an app that is not
 * registered with OAuth a 404 page; until the broker has loaded the apps, a 503 page. Runs on the HTTP
 * server's threads; thread-safe.
 */
public final class InstallHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(InstallHandler.class);

    /** The path this handler serves, registered as an HTTP context. */
    public static final String CONTEXT = "/slack/install/";

    /**
     * Installs started on one broker within {@link OAuthCookie#TTL} at most: their states hold at most a
     * couple of MB of Redis, however many requests a flood sends.
     */
    static final int MAX_PENDING = 10_000;

    /** Slack's app ids: {@code A} and capitals and digits. Anything else is no app of ours. */
    private static final Pattern APP_ID = Pattern.compile("[A-Z0-9]{1,32}");

    private final Supplier<OAuthBackend> backend;
    private final URI slackHost;
    private final SecureRandom random = new SecureRandom();
    private final PendingInstalls pending;

    public InstallHandler(Supplier<OAuthBackend> backend, URI slackHost) {
        this.backend = backend;
        this.slackHost = slackHost;
        this.pending = new PendingInstalls(Clock.systemUTC(), MAX_PENDING, OAuthCookie.TTL);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            serve(exchange);
        } catch (RuntimeException e) {
            log.error("install page failed: {}", e.toString());
            OAuthPages.send(
                    exchange,
                    OAuthPages.failure(503, "Installation unavailable", "The install could not start. Try again."));
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET");
            OAuthPages.send(exchange, OAuthPages.failure(405, "Method not allowed", "Open this page with GET."));
            return;
        }
        String appId = exchange.getRequestURI().getPath().substring(CONTEXT.length());
        OAuthBackend b = backend.get();
        if (b == null) {
            OAuthPages.send(
                    exchange,
                    OAuthPages.failure(
                            503, "Not ready yet", "The broker is starting and cannot install apps yet. Try again."));
            return;
        }
        AppRegistration app = APP_ID.matcher(appId).matches() ? b.apps().app(appId) : null;
        if (app == null || !app.oauth().enabled()) {
            log.info("install page for app {}: not registered with OAuth", LogText.escape(appId));
            OAuthPages.send(
                    exchange,
                    OAuthPages.failure(
                            404, "Unknown app", "App " + appId + " is not registered for installing with Slack."));
            return;
        }
        AppOAuth oauth = app.oauth();
        if (!pending.admit()) {
            log.warn(
                    "install page for app {}: refused, {} installs started on this broker within {} (a flood?)",
                    appId,
                    MAX_PENDING,
                    OAuthCookie.TTL);
            exchange.getResponseHeaders().set("Retry-After", "60");
            OAuthPages.send(
                    exchange,
                    OAuthPages.failure(
                            429,
                            "Too many installs",
                            "Too many installations are in progress. Try again in a minute."));
            return;
        }
        String state = OAuthCookie.newState(random);
        b.store().putState(state, appId, OAuthCookie.TTL);
        exchange.getResponseHeaders()
                .add("Set-Cookie", OAuthCookie.set(state, oauth.redirectUrl().startsWith("https://")));
        String url = authorizeUrl(slackHost, oauth, state);
        log.info("app {}: install started ({})", appId, oauth.directInstall() ? "redirect" : "page");
        if (oauth.directInstall()) {
            exchange.getResponseHeaders().set("Location", url);
            OAuthPages.send(
                    exchange,
                    new OAuthPages.Page(302, OAuthPages.addToSlack(appId, url).html()));
        } else {
            OAuthPages.send(exchange, OAuthPages.addToSlack(appId, url));
        }
    }

    /** Slack's authorize page for {@code oauth}, with {@code state}. */
    static String authorizeUrl(URI slackHost, AppOAuth oauth, String state) {
        String base = slackHost.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/oauth/v2/authorize?client_id=" + encode(oauth.clientId())
                + "&scope=" + encode(String.join(",", oauth.botScopes()))
                + "&user_scope=" + encode(String.join(",", oauth.userScopes()))
                + "&redirect_uri=" + encode(oauth.redirectUrl())
                + "&state=" + encode(state);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
