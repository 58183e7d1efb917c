/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser without scripts for the install flow whose redirects the test follows by hand, so that it sees
 * each hop (the {@code Location}, every {@code Set-Cookie}) and can tamper with the way back: a cookie jar
 * of its own, the Add to Slack link read and the simulator's consent form filled in as a person would.
 * For the flow as a person goes through it, {@link dev.relax.testkit.AddToSlack}.
 */
final class InstallBrowser implements AutoCloseable {
    private static final Pattern LINK = Pattern.compile("<a id=\"add-to-slack\" href=\"([^\"]*)\"");
    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\">");
    private static final Pattern SELECT =
            Pattern.compile("<select name=\"([a-z_]+)\"[^>]*>(.*?)</select>", Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("<option value=\"([^\"]*)\"( selected)?>");
    private static final Pattern HIDDEN =
            Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">");

    /** One answer: status, body, {@code Location} ("" if none), every {@code Set-Cookie}, and its URL. */
    record Page(int status, String body, String location, List<String> cookies, URI uri) {}

    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    private InstallBrowser() {
        http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A browser with no cookies, whose redirects the test follows with {@link #get}. */
    static InstallBrowser manual() {
        return new InstallBrowser();
    }

    Page get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** The Add to Slack link of the broker's install page. */
    static String addToSlackLink(Page installPage) {
        Matcher m = LINK.matcher(installPage.body());
        if (!m.find()) {
            throw new AssertionError("no Add to Slack link on " + installPage.body());
        }
        return unescape(m.group(1));
    }

    /**
     * Submits the simulator's consent page {@code consent} (its hidden inputs, the preselected or first
     * options) with {@code choices} ({@code "decision", "allow"}, ...).
     */
    Page submit(Page consent, String... choices) {
        Matcher action = FORM.matcher(consent.body());
        if (consent.status() != 200 || !action.find()) {
            throw new AssertionError("not a consent page: " + consent.status() + " " + consent.body());
        }
        Map<String, String> form = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(consent.body());
        while (hidden.find()) {
            form.put(hidden.group(1), unescape(hidden.group(2)));
        }
        Matcher select = SELECT.matcher(consent.body());
        while (select.find()) {
            Matcher option = OPTION.matcher(select.group(2));
            String value = null;
            while (option.find()) {
                if (value == null || option.group(2) != null) {
                    value = option.group(1);
                }
                if (option.group(2) != null) {
                    break;
                }
            }
            if (value != null) {
                form.put(select.group(1), value);
            }
        }
        for (int i = 0; i + 1 < choices.length; i += 2) {
            form.put(choices[i], choices[i + 1]);
        }
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(encode(name) + "=" + encode(value)));
        return send(HttpRequest.newBuilder(consent.uri().resolve(unescape(action.group(1))))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Page(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Location").orElse(""),
                    response.headers().allValues("Set-Cookie"),
                    response.uri());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of query parameter {@code name} of {@code url}, decoded; "" when absent. */
    static String param(String url, String name) {
        String query = URI.create(url).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    static String encode(String value) {
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
}
