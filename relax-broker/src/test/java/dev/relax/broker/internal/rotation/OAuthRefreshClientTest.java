/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OAuthRefreshClientTest {
    private final OAuthRefreshClient client = new OAuthRefreshClient(
            null, URI.create("http://slack.test"), Duration.ofSeconds(1), new ObjectMapper(), new BrokerMetrics());

    @Test
    void aNewPairIsRefreshedAndItsTextHidesTheTokens() {
        OAuthRefreshClient.Answer answer = client.answer(
                200,
                "{\"ok\":true,\"access_token\":\"xoxe.xoxb-1-new\",\"refresh_token\":\"xoxe-1-next\",\"expires_in\":43200}",
                Optional.empty());

        assertThat(answer).isInstanceOfSatisfying(OAuthRefreshClient.Refreshed.class, r -> {
            assertThat(r.token().reveal()).isEqualTo("xoxe.xoxb-1-new");
            assertThat(r.refreshToken().reveal()).isEqualTo("xoxe-1-next");
            assertThat(r.expiresIn()).isEqualTo(Duration.ofHours(12));
        });
        assertThat(answer.toString()).doesNotContain("xoxe.xoxb-1-new").doesNotContain("xoxe-1-next");
    }

    @Test
    void aDeadRefreshTokenIsRefusedAndOtherErrorsAreTriedAgain() {
        assertThat(client.answer(200, "{\"ok\":false,\"error\":\"invalid_refresh_token\"}", Optional.empty()))
                .isEqualTo(new OAuthRefreshClient.Refused("invalid_refresh_token"));
        assertThat(client.answer(200, "{\"ok\":false,\"error\":\"token_revoked\"}", Optional.empty()))
                .isEqualTo(new OAuthRefreshClient.Refused("token_revoked"));
        assertThat(client.answer(200, "{\"ok\":false,\"error\":\"bad_client_secret\"}", Optional.empty()))
                .isEqualTo(new OAuthRefreshClient.Failed("bad_client_secret", Optional.empty()));
        assertThat(client.answer(429, "", Optional.of("7")))
                .isEqualTo(new OAuthRefreshClient.Failed("ratelimited", Optional.of(Duration.ofSeconds(7))));
        assertThat(client.answer(503, "oops", Optional.empty()))
                .isEqualTo(new OAuthRefreshClient.Failed("http_503", Optional.empty()));
        assertThat(client.answer(200, "{\"ok\":true,\"access_token\":\"x\"}", Optional.empty()))
                .isEqualTo(new OAuthRefreshClient.Failed("incomplete_answer", Optional.empty()));
    }
}
