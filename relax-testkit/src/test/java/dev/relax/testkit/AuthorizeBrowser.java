/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives the simulator's authorize page as a browser without scripts would: GET the form, POST it back. */
final class AuthorizeBrowser implements AutoCloseable {
    private static final Pattern SELECT =
            Pattern.compile("<select name=\"([a-z_]+)\"[^>]*>(.*?)</select>", Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("<option value=\"([^\"]*)\"( selected)?>");
    private static final Pattern HIDDEN =
            Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">");

    /** One page or redirect: status, body, and the {@code Location} header (empty if none). */
    record Page(int status, String body, String location) {}

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    AuthorizeBrowser(SlackSimulator slack) {
        this.baseUrl = slack.baseUrl();
    }

    Page open(String query) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth/v2/authorize?" + query))
                .GET());
    }

    /** Opens the page for {@code query}, then submits its form with the hidden inputs and {@code choices}. */
    Page submit(String query, String... choices) {
        Page page = open(query);
        if (page.status() != 200) {
            throw new AssertionError("the authorize page answered " + page.status() + ": " + page.body());
        }
        Map<String, String> form = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(page.body());
        while (hidden.find()) {
            form.put(hidden.group(1), hidden.group(2).replace("&amp;", "&"));
        }
        Matcher select = SELECT.matcher(page.body());
        while (select.find()) {
            // As a browser: the option marked selected, else the first one.
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
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth/v2/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** The value of a query parameter of a redirect's location. */
    static String param(String location, String name) {
        String query = URI.create(location).getRawQuery();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Page(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Location").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
