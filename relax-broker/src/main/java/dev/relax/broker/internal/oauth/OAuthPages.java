/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The small HTML pages of the install flow: no scripts, no external resources, every value escaped. A
 * page shows what the person needs (which app, which workspace, what went wrong) and never a secret.
 */
final class OAuthPages {
    private OAuthPages() {}

    /** A page: its HTTP status and its HTML. */
    record Page(int status, String html) {}

    /** The start page: the app and a link to Slack's authorize page styled as a button. */
    static Page addToSlack(String appId, String authorizeUrl) {
        return page(
                200,
                "Add to Slack",
                "<p>Install app <code>" + escape(appId) + "</code> in your Slack workspace.</p>\n"
                        + "<p><a id=\"add-to-slack\" href=\"" + escape(authorizeUrl)
                        + "\" style=\"display:inline-block;padding:8px 16px;border:1px solid #4a154b;"
                        + "border-radius:4px;color:#4a154b;text-decoration:none;font-weight:bold\">"
                        + "Add to Slack</a></p>");
    }

    /** The success page: where the app was installed, and a link back into Slack. */
    static Page installed(String appId, String where, String slackUrl) {
        return page(
                200,
                "Installed",
                "<p id=\"result\">App <code>" + escape(appId) + "</code> was installed in <strong>" + escape(where)
                        + "</strong>.</p>\n<p><a id=\"open-slack\" href=\"" + escape(slackUrl)
                        + "\">Open Slack</a></p>");
    }

    /** A page that ends the flow: {@code title}, then {@code text}, both escaped. */
    static Page failure(int status, String title, String text) {
        return page(status, title, "<p id=\"result\">" + escape(text) + "</p>");
    }

    private static Page page(int status, String title, String body) {
        return new Page(
                status,
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                        + "</title>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body
                        + "\n</body>\n</html>\n");
    }

    /** Text as HTML text or an attribute value (quoted with {@code "}). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Sends {@code page}; a HEAD request gets the headers alone. Never cached: each page is one outcome. */
    static void send(HttpExchange exchange, Page page) throws IOException {
        byte[] bytes = page.html().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(page.status(), head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}
