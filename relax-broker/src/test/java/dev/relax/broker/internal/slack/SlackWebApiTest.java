/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.core.Secret;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackWebApiTest {
    private static SlackWebApi api(String host) {
        return new SlackWebApi(
                null,
                URI.create(host),
                Duration.ofSeconds(5),
                new ObjectMapper(),
                BrokerTracing.noop(),
                new BrokerMetrics());
    }

    @Test
    void aPlainHttpHostIsSpokenToInHttp11SoThatNoH2cUpgradeIsOffered() {
        var request = api("http://gateway.internal:8080/slack").request("rtm.connect", Secret.of("xoxb-1"), Map.of());

        assertThat(request.version()).contains(HttpClient.Version.HTTP_1_1);
        assertThat(request.uri()).hasToString("http://gateway.internal:8080/slack/api/rtm.connect");
    }

    @Test
    void slackOverTlsKeepsTheClientsDefaultHttp2() {
        var request = api("https://slack.com").request("chat.postMessage", Secret.of("xoxb-1"), Map.of("a", "b"));

        assertThat(request.version()).isEmpty();
        assertThat(request.uri()).hasToString("https://slack.com/api/chat.postMessage");
    }

    @Test
    void onlyAFailureToConnectMeansThatTheRequestNeverLeft() {
        assertThat(SlackWebApi.neverSent(new ConnectException("Connection refused")))
                .isTrue();
        assertThat(SlackWebApi.neverSent(new HttpConnectTimeoutException("HTTP connect timed out")))
                .isTrue();
        assertThat(SlackWebApi.neverSent(new HttpTimeoutException("request timed out")))
                .isFalse();
        assertThat(SlackWebApi.neverSent(new IOException("Connection reset"))).isFalse();
        assertThat(SlackWebApi.neverSent(new EOFException("EOF reached while reading")))
                .isFalse();
    }
}
