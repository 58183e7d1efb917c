/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser without scripts for Slack's install flow ("Add to Slack") against the simulator: it keeps
 * cookies, follows redirects, follows the page's link to the simulator's {@code /oauth/v2/authorize}, and
 * answers the consent page as a person would. For testing an app's install endpoints (the broker's
 * {@code /slack/install/<app>} and {@code /slack/oauth_redirect}, or your own) end to end.
 *
 * <pre>{@code
 * try (AddToSlack browser = AddToSlack.browser()) {
 *     browser.open(URI.create(brokerUrl + "/slack/install/A0123"));   // the page with the button
 *     browser.clickAddToSlack();                                       // the simulator's consent page
 *     AddToSlack.Page done = browser.allow("T0123");                   // back on the app's redirect URL
 *     assertThat(done.status()).isEqualTo(200);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one person, one browser.
 */
public final class AddToSlack implements AutoCloseable {
    private static final int MAX_REDIRECTS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern AUTHORIZE_LINK = Pattern.compile("href=\"([^\"]*/oauth/v2/authorize\\?[^\"]*)\"");
    private static final Pattern FORM =
            Pattern.compile("<form[^>]*action=\"([^\"]*)\"[^>]*>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern HIDDEN =
            Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">");
    private static final Pattern SELECT =
            Pattern.compile("<select name=\"([a-z_]+)\"[^>]*>(.*?)</select>", Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("<option value=\"([^\"]*)\"( selected)?>");

    /**
     * A page the browser shows: where it is after every redirect, its HTTP status and its HTML.
     *
     * @param url where the browser ended up
     * @param status the HTTP status of that last response
     * @param body the page's HTML
     */
    public record Page(URI url, int status, String body) {}

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;
    private Page current;

    private AddToSlack() {
        http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A new browser with no cookies. */
    public static AddToSlack browser() {
        return new AddToSlack();
    }

    /** Opens {@code url}, following redirects; the page it ends on is {@link #page()}. */
    public Page open(URI url) {
        return go(HttpRequest.newBuilder(url).GET());
    }

    /** The page the browser shows now. */
    public Page page() {
        if (current == null) {
            throw new IllegalStateException("no page opened yet");
        }
        return current;
    }

    /** Follows the current page's link to Slack's authorize page (the Add to Slack button). */
    public Page clickAddToSlack() {
        Matcher link = AUTHORIZE_LINK.matcher(page().body());
        if (!link.find()) {
            throw new IllegalStateException("the page at " + page().url() + " has no link to /oauth/v2/authorize");
        }
        return open(page().url().resolve(unescape(link.group(1))));
    }

    /** On the consent page, installs into {@code teamId} (a workspace or, org-wide, an organization). */
    public Page allow(String teamId) {
        return decide(Map.of("team", Objects.requireNonNull(teamId, "teamId"), "decision", "allow"));
    }

    /** On the consent page, installs into {@code teamId} as the person {@code userId}. */
    public Page allow(String teamId, String userId) {
        return decide(Map.of("team", teamId, "user", userId, "decision", "allow"));
    }

    /** On the consent page, cancels: Slack sends the browser back with {@code error=access_denied}. */
    public Page deny() {
        return decide(Map.of("decision", "deny"));
    }

    /** The cookies this browser holds for {@code url}, as {@code name=value} pairs (what a test may tamper with). */
    public Map<String, String> cookies(URI url) {
        Map<String, String> found = new LinkedHashMap<>();
        cookies.getCookieStore().get(url).forEach(c -> found.put(c.getName(), c.getValue()));
        return found;
    }

    /** Forgets every cookie: as another browser, or a person who cleared them. */
    public void clearCookies() {
        cookies.getCookieStore().removeAll();
    }

    private Page decide(Map<String, String> choices) {
        Matcher form = FORM.matcher(page().body());
        if (!form.find()) {
            throw new IllegalStateException("the page at " + page().url() + " has no form");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(form.group(2));
        while (hidden.find()) {
            fields.put(hidden.group(1), unescape(hidden.group(2)));
        }
        Matcher select = SELECT.matcher(form.group(2));
        while (select.find()) { // as a browser: the option marked selected, else the first
            Matcher option = OPTION.matcher(select.group(2));
            String value = null;
            while (option.find()) {
                if (value == null || option.group(2) != null) {
                    value = unescape(option.group(1));
                }
            }
            if (value != null) {
                fields.put(select.group(1), value);
            }
        }
        if (choices.containsKey("team") && !choices.containsKey("user")) {
            fields.remove("user"); // the page's first option may be a person of another workspace: Slack's default
        }
        fields.putAll(choices);
        StringJoiner body = new StringJoiner("&");
        fields.forEach((name, value) -> body.add(encode(name) + "=" + encode(value)));
        return go(HttpRequest.newBuilder(page().url().resolve(unescape(form.group(1))))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private Page go(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            for (int hops = 0; isRedirect(response.statusCode()); hops++) {
                if (hops == MAX_REDIRECTS) {
                    throw new IllegalStateException("more than " + MAX_REDIRECTS + " redirects from " + response.uri());
                }
                URI next = response.uri()
                        .resolve(response.headers().firstValue("Location").orElseThrow());
                // As browsers do after a POST: the redirect is followed with a GET.
                response = http.send(
                        HttpRequest.newBuilder(next).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            current = new Page(response.uri(), response.statusCode(), response.body());
            return current;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading a page", e);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    @Override
    public String toString() {
        return "AddToSlack[" + (current == null ? "no page" : current.url().getPath()) + "]";
    }
}
