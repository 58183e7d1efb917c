/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OAuthCookieTest {
    @Test
    void statesAre32RandomBytesInBase64Url() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String state = OAuthCookie.newState(random);
            assertThat(state).matches("[A-Za-z0-9_-]{43}");
            seen.add(state);
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void theCookieIsHttpOnlyLaxUnderSlackAndSecureBehindHttps() {
        assertThat(OAuthCookie.set("abc", false))
                .isEqualTo("relax_oauth_state=abc; Path=/; Max-Age=600; HttpOnly; SameSite=Lax");
        assertThat(OAuthCookie.set("abc", true))
                .isEqualTo("relax_oauth_state=abc; Path=/; Max-Age=600; HttpOnly; SameSite=Lax; Secure");
        assertThat(OAuthCookie.clear(true))
                .isEqualTo("relax_oauth_state=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
    }

    @Test
    void readsTheStateAmongOtherCookiesQuotedOrNot() {
        assertThat(OAuthCookie.read(List.of("a=1; relax_oauth_state=xyz; b=2"))).isEqualTo("xyz");
        assertThat(OAuthCookie.read(List.of("a=1", "$Version=\"1\"; relax_oauth_state=\"xyz\";$Path=\"/slack/\"")))
                .isEqualTo("xyz");
        assertThat(OAuthCookie.read(List.of("relax_oauth_statex=1"))).isEmpty();
        assertThat(OAuthCookie.read(null)).isEmpty();
    }

    @Test
    void statesMatchOnlyWhenEqualAndPresent() {
        assertThat(OAuthCookie.same("abc", "abc")).isTrue();
        assertThat(OAuthCookie.same("abc", "abd")).isFalse();
        assertThat(OAuthCookie.same("abc", "abcd")).isFalse();
        assertThat(OAuthCookie.same("", "")).isFalse();
        assertThat(OAuthCookie.same("", "abc")).isFalse();
    }
}
