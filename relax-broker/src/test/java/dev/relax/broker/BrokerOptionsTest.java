/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerOptionsTest {

    @Test
    void theBuilderSetsEveryOption() {
        BrokerOptions o = BrokerOptions.builder()
                .pingInterval(Duration.ofSeconds(2))
                .maxMissedPongs(4)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(9))
                .loginConcurrency(5)
                .startJitter(Duration.ZERO)
                .dedupeTtl(Duration.ofSeconds(60))
                .bufferSize(1000)
                .batchSize(64)
                .rtmMethod("rtm.start")
                .mentionsAndDmsOnly(true)
                .httpHost("127.0.0.1")
                .httpMaxBody(8192)
                .httpMaxInFlight(3)
                .shutdownTimeout(Duration.ofSeconds(4))
                .appLeaseTtl(Duration.ofSeconds(6))
                .callInterval(Duration.ofMillis(250))
                .callMaxAttempts(2)
                .callClaimIdle(Duration.ofSeconds(7))
                .websocket(BrokerOptions.WebSocketLibrary.NV)
                .writeLinger(Duration.ofNanos(200_000))
                .callMaxHeld(16)
                .managementPort(0)
                .build();
        assertThat(o.pingInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.maxMissedPongs()).isEqualTo(4);
        assertThat(o.backoffInitial()).isEqualTo(Duration.ofMillis(100));
        assertThat(o.backoffMax()).isEqualTo(Duration.ofSeconds(9));
        assertThat(o.loginConcurrency()).isEqualTo(5);
        assertThat(o.startJitter()).isZero();
        assertThat(o.dedupeTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.bufferSize()).isEqualTo(1000);
        assertThat(o.batchSize()).isEqualTo(64);
        assertThat(o.rtmMethod()).isEqualTo("rtm.start");
        assertThat(o.mentionsAndDmsOnly()).isTrue();
        assertThat(o.httpHost()).isEqualTo("127.0.0.1");
        assertThat(o.httpMaxBody()).isEqualTo(8192);
        assertThat(o.httpMaxInFlight()).isEqualTo(3);
        assertThat(o.shutdownTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(o.appLeaseTtl()).isEqualTo(Duration.ofSeconds(6));
        assertThat(o.callInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(o.callMaxAttempts()).isEqualTo(2);
        assertThat(o.callClaimIdle()).isEqualTo(Duration.ofSeconds(7));
        assertThat(o.websocket()).isEqualTo(BrokerOptions.WebSocketLibrary.NV);
        assertThat(o.writeLinger()).isEqualTo(Duration.ofNanos(200_000));
        assertThat(o.callMaxHeld()).isEqualTo(16);
        assertThat(o.managementPort()).isZero();
    }

    @Test
    void mutateChangesACopyAndLeavesTheOriginalAlone() {
        BrokerOptions.Builder builder = BrokerOptions.builder().bufferSize(10);
        BrokerOptions original = builder.build();
        builder.bufferSize(20);
        BrokerOptions changed = original.mutate().batchSize(7).build();

        assertThat(original.bufferSize()).isEqualTo(10);
        assertThat(original.batchSize()).isEqualTo(512);
        assertThat(changed.bufferSize()).isEqualTo(10);
        assertThat(changed.batchSize()).isEqualTo(7);
    }

    @Test
    void buildNamesTheBadValue() {
        assertThatThrownBy(() -> BrokerOptions.builder().batchSize(0).build())
                .hasMessage("batchSize must be at least 1, was 0");
        assertThatThrownBy(() -> BrokerOptions.builder()
                        .appLeaseTtl(Duration.ofMillis(100))
                        .build())
                .hasMessage("appLeaseTtl must be at least 0.5 s, was PT0.1S");
        assertThatThrownBy(() -> BrokerOptions.builder().managementPort(70000).build())
                .hasMessage("managementPort must be a port (0 for any free one), or unset, was 70000");
        assertThatThrownBy(() -> BrokerOptions.builder().callClaimIdle(null).build())
                .hasMessageStartingWith("callClaimIdle must be at least 300 ms");
    }

    @Test
    void defaultsFollowTheGoBroker() {
        BrokerOptions o = BrokerOptions.fromEnv(Map.of());
        assertThat(o.pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.maxMissedPongs()).isEqualTo(3);
        assertThat(o.backoffInitial()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.rtmMethod()).isEqualTo("rtm.connect");
        assertThat(o.mentionsAndDmsOnly()).isFalse();
        assertThat(o.batchSize()).isEqualTo(512);
        assertThat(o.managementPort()).isEqualTo(BrokerOptions.NO_MANAGEMENT_PORT);
    }

    @Test
    void readsEveryVariable() {
        BrokerOptions o = BrokerOptions.fromEnv(Map.of(
                "RELAX_PING_INTERVAL", "0.5",
                "RELAX_MAX_MISSED_PONGS", "2",
                "RELAX_RECONNECT_BACKOFF", "0.1",
                "RELAX_RECONNECT_BACKOFF_MAX", "3",
                "RELAX_LOGIN_CONCURRENCY", "8",
                "RELAX_DEDUPE_TTL", "30",
                "RELAX_BUFFER_SIZE", "10",
                "RELAX_RTM_METHOD", "rtm.start",
                "RELAX_EVENT_FILTER", "mentions_and_dms",
                "RELAX_HTTP_HOST", "127.0.0.1"));
        assertThat(o.pingInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.maxMissedPongs()).isEqualTo(2);
        assertThat(o.backoffMax()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.loginConcurrency()).isEqualTo(8);
        assertThat(o.dedupeTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.bufferSize()).isEqualTo(10);
        assertThat(o.rtmMethod()).isEqualTo("rtm.start");
        assertThat(o.mentionsAndDmsOnly()).isTrue();
        assertThat(o.httpHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void readsTheWebApiCallSettings() {
        BrokerOptions d = BrokerOptions.fromEnv(Map.of());
        assertThat(d.callInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.callMaxAttempts()).isEqualTo(10);
        assertThat(d.callClaimIdle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.callMaxHeld()).isEqualTo(512);
        BrokerOptions o = BrokerOptions.fromEnv(Map.of(
                "RELAX_CALL_INTERVAL",
                "1.5",
                "RELAX_CALL_MAX_ATTEMPTS",
                "3",
                "RELAX_CALL_CLAIM_IDLE",
                "5",
                "RELAX_CALL_MAX_HELD",
                "8"));
        assertThat(o.callInterval()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.callMaxAttempts()).isEqualTo(3);
        assertThat(o.callClaimIdle()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.callMaxHeld()).isEqualTo(8);
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_CALL_MAX_HELD", "0")))
                .hasMessageContaining("callMaxHeld must be at least 1");
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_CALL_MAX_ATTEMPTS", "0")))
                .hasMessageContaining("callMaxAttempts must be at least 1");
    }

    @Test
    void readsTheTokenRefreshSettings() {
        BrokerOptions d = BrokerOptions.fromEnv(Map.of());
        assertThat(d.tokenRefreshMargin()).isEqualTo(Duration.ofSeconds(600));
        assertThat(d.tokenRefreshInterval()).isEqualTo(Duration.ofSeconds(15));
        BrokerOptions o =
                BrokerOptions.fromEnv(Map.of("RELAX_TOKEN_REFRESH_MARGIN", "0", "RELAX_TOKEN_REFRESH_INTERVAL", "2.5"));
        assertThat(o.tokenRefreshMargin()).isZero();
        assertThat(o.tokenRefreshInterval()).isEqualTo(Duration.ofMillis(2500));
        assertThatThrownBy(() -> BrokerOptions.builder()
                        .tokenRefreshMargin(Duration.ofSeconds(-1))
                        .build())
                .hasMessageContaining("tokenRefreshMargin must be 0 or more");
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_TOKEN_REFRESH_INTERVAL", "0")))
                .hasMessageContaining("tokenRefreshInterval must be at least 0.1 s");
    }

    @Test
    void readsTheRtmReplicasAndRefusesANegativeOrMalformedCount() {
        assertThat(BrokerOptions.fromEnv(Map.of()).rtmReplicas()).isZero();
        assertThat(BrokerOptions.fromEnv(Map.of("RELAX_RTM_REPLICAS", "2")).rtmReplicas())
                .isEqualTo(2);
        assertThat(BrokerOptions.builder().rtmReplicas(3).build().rtmReplicas()).isEqualTo(3);
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_RTM_REPLICAS", "-1")))
                .hasMessage("RELAX_RTM_REPLICAS must be 0 (every broker holds every bot) or more, was -1");
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_RTM_REPLICAS", "two")))
                .hasMessage("RELAX_RTM_REPLICAS must be a whole number, was 'two'");
        assertThatThrownBy(() -> BrokerOptions.builder().rtmReplicas(-2).build())
                .hasMessage("rtmReplicas must be at least 0, was -2");
    }

    @Test
    void warmsUpUnlessRelaxWarmupIsFalse() {
        assertThat(BrokerOptions.fromEnv(Map.of()).warmup()).isTrue();
        assertThat(BrokerOptions.fromEnv(Map.of("RELAX_WARMUP", "false")).warmup())
                .isFalse();
        assertThat(BrokerOptions.fromEnv(Map.of("RELAX_WARMUP", "TRUE")).warmup())
                .isTrue();
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_WARMUP", "off")))
                .hasMessage("RELAX_WARMUP must be true or false, was 'off'");
    }

    @Test
    void readsTheWriteLingerToTheMicrosecond() {
        assertThat(BrokerOptions.fromEnv(Map.of()).writeLinger()).isZero();
        assertThat(BrokerOptions.fromEnv(Map.of("RELAX_WRITE_LINGER", "0.0005")).writeLinger())
                .isEqualTo(Duration.ofNanos(500_000));
        assertThat(BrokerOptions.fromEnv(Map.of("RELAX_WRITE_LINGER", "0")).writeLinger())
                .isZero();
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_WRITE_LINGER", "1")))
                .hasMessageContaining("writeLinger must be between 0 and 0.1 s");
    }

    @Test
    void readsTheWebSocketLibrary() {
        assertThat(BrokerOptions.fromEnv(Map.of()).websocket()).isEqualTo(BrokerOptions.WebSocketLibrary.AUTO);
        assertThat(BrokerOptions.fromEnv(Map.of("RELAX_WEBSOCKET", "jdk")).websocket())
                .isEqualTo(BrokerOptions.WebSocketLibrary.JDK);
        assertThat(BrokerOptions.fromEnv(Map.of("RELAX_WEBSOCKET", " NV ")).websocket())
                .isEqualTo(BrokerOptions.WebSocketLibrary.NV);
        assertThat(BrokerOptions.fromEnv(Map.of("RELAX_WEBSOCKET", "netty")).websocket())
                .isEqualTo(BrokerOptions.WebSocketLibrary.NETTY);
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_WEBSOCKET", "okhttp")))
                .hasMessage("RELAX_WEBSOCKET must be auto, jdk, netty or nv, was 'okhttp'");
    }

    @Test
    void readsTheLimitsOfTheSlackEndpoints() {
        BrokerOptions d = BrokerOptions.fromEnv(Map.of());
        assertThat(d.httpMaxBody()).isEqualTo(2 * 1024 * 1024);
        assertThat(d.httpMaxInFlight()).isEqualTo(32);
        BrokerOptions o =
                BrokerOptions.fromEnv(Map.of("RELAX_HTTP_MAX_BODY", "65536", "RELAX_HTTP_MAX_IN_FLIGHT", "4"));
        assertThat(o.httpMaxBody()).isEqualTo(65536);
        assertThat(o.httpMaxInFlight()).isEqualTo(4);
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_HTTP_MAX_BODY", "100")))
                .hasMessageContaining("httpMaxBody must be between 4096 and 67108864 bytes, was 100");
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_HTTP_MAX_IN_FLIGHT", "0")))
                .hasMessageContaining("httpMaxInFlight must be at least 1, was 0");
    }

    @Test
    void malformedVariablesAreNamed() {
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_PING_INTERVAL", "soon")))
                .hasMessage("RELAX_PING_INTERVAL must be a number of seconds, was 'soon'");
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_BUFFER_SIZE", "lots")))
                .hasMessageContaining("RELAX_BUFFER_SIZE");
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_RTM_METHOD", "rtm.open")))
                .hasMessageContaining("rtm.connect or rtm.start");
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_EVENT_FILTER", "some")))
                .hasMessageContaining("RELAX_EVENT_FILTER");
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_PING_INTERVAL", "0")))
                .hasMessageContaining("pingInterval must be positive");
        assertThatThrownBy(() -> BrokerOptions.fromEnv(Map.of("RELAX_RECONNECT_BACKOFF", "0")))
                .hasMessageContaining("a zero back-off would retry Slack in a hot loop");
    }

    @Test
    void optionsWithTheSameValuesAreEqualAndShowTheirValues() {
        // As when BrokerOptions was a record: a value, compared and printed by its values.
        BrokerOptions fromEnv = BrokerOptions.fromEnv(Map.of("RELAX_PING_INTERVAL", "2"));
        BrokerOptions built =
                BrokerOptions.builder().pingInterval(Duration.ofSeconds(2)).build();
        assertThat(fromEnv).isEqualTo(built).hasSameHashCodeAs(built);
        assertThat(BrokerOptions.fromEnv(Map.of())).isEqualTo(BrokerOptions.defaults());
        assertThat(built).isNotEqualTo(BrokerOptions.defaults());
        assertThat(built.mutate().build()).isEqualTo(built);
        assertThat(BrokerOptions.defaults().toString())
                .isEqualTo("BrokerOptions[pingInterval=PT5S, maxMissedPongs=3, backoffInitial=PT1.5S, backoffMax=PT1M,"
                        + " loginConcurrency=64, startJitter=PT2S, dedupeTtl=PT10M, bufferSize=100000, batchSize=512,"
                        + " rtmMethod=rtm.connect, mentionsAndDmsOnly=false, httpHost=0.0.0.0, httpMaxBody=2097152,"
                        + " httpMaxInFlight=32, shutdownTimeout=PT10S, appLeaseTtl=PT10S, callInterval=PT1S,"
                        + " callMaxAttempts=10, callClaimIdle=PT30S, websocket=AUTO, writeLinger=PT0S, callMaxHeld=512,"
                        + " managementPort=-1, tokenRefreshMargin=PT10M, tokenRefreshInterval=PT15S, rtmReplicas=0,"
                        + " warmup=true]");
    }
}
