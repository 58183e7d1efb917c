/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackendSettingsTest {
    private static final URI URL = URI.create("http://127.0.0.1:8088/ask?x=1");

    @Test
    void defaultsAreTheDocumentedOnes() {
        BackendSettings settings = BackendSettings.defaults(URL);
        assertThat(settings.url()).isEqualTo(URL);
        assertThat(settings.bearerToken()).isNull();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.firstByteTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.totalTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.maxAttempts()).isEqualTo(3);
        assertThat(settings.backoff()).isEqualTo(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5)));
        assertThat(settings.breakerThreshold()).isEqualTo(5);
        assertThat(settings.breakerCoolDown()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void toStringMasksTheToken() {
        String text =
                BackendSettings.builder(URL).bearerToken("s3cret-token").build().toString();
        assertThat(text).doesNotContain("s3cret-token").contains("bearerToken=****");
    }

    @Test
    void toStringMasksCredentialsInTheUrl() {
        String text = BackendSettings.defaults(URI.create("https://bob:pw1@backend.example:8443/ask?api_key=k3y#f"))
                .toString();
        assertThat(text).startsWith("BackendSettings[url=https://****@backend.example:8443/ask?****, bearerToken=none");
    }

    @Test
    void rejectionNamesTheBadSetting() {
        assertThatThrownBy(() -> BackendSettings.builder(URL)
                        .retries(0, BackendSettings.DEFAULT_BACKOFF)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid backend setting maxAttempts: 0");
        assertThatThrownBy(() -> BackendSettings.builder(URI.create("ftp://x/")).build())
                .hasMessage("invalid backend setting url: ftp://x/");
        assertThatThrownBy(() -> BackendSettings.builder(URL)
                        .timeouts(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1))
                        .build())
                .hasMessage("invalid backend setting firstByteTimeout: PT0S");
    }
}
