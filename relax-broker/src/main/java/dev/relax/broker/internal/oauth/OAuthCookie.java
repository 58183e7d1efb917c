/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The {@code state} of an install and the cookie that binds it to the browser that started it
 * (https://docs.slack.dev/authentication/installing-with-oauth): 32 random bytes, base64url; the cookie is
 * {@code HttpOnly} (no script reads it), {@code SameSite=Lax} (sent on Slack's top-level redirect back, not
 * on other sites' sub-requests), scoped to {@code /slack/}, and {@code Secure} when the app's redirect URL is
 * https. Pure apart from the random source.
 */
final class OAuthCookie {
    static final String NAME = "relax_oauth_state";
    static final Duration TTL = Duration.ofMinutes(10);

    private OAuthCookie() {}

    /** A new state: 32 random bytes, base64url without padding (43 characters). */
    static String newState(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The {@code Set-Cookie} value that binds {@code state} to this browser for {@link #TTL}. */
    static String set(String state, boolean secure) {
        return NAME + "=" + state + "; Path=/; Max-Age=" + TTL.toSeconds() + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that deletes the cookie. */
    static String clear(boolean secure) {
        return NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    /** The state in the request's {@code Cookie} headers, or "" when there is none. */
    static String read(List<String> cookieHeaders) {
        if (cookieHeaders == null) {
            return "";
        }
        for (String header : cookieHeaders) {
            for (String pair : header.split(";")) {
                String p = pair.strip();
                if (p.startsWith(NAME + "=")) {
                    String value = p.substring(NAME.length() + 1);
                    // RFC 6265 allows the value in double quotes (java.net.CookieManager sends it so).
                    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                            ? value.substring(1, value.length() - 1)
                            : value;
                }
            }
        }
        return "";
    }

    /** Whether the two states are the same and not empty, in time independent of where they differ. */
    static boolean same(String cookie, String query) {
        if (cookie.isEmpty() || query.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), query.getBytes(StandardCharsets.UTF_8));
    }
}
