/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import dev.relax.testkit.broker.OtlpReceiver.Export;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar's OpenTelemetry SDK, configured by {@code OTEL_*} variables as an operator sets them,
 * exporting over OTLP/HTTP to a receiver of the test's (docs/operations.md, "Traces").
 */
class OtlpExportIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String API_KEY = "otlp-key-s3cret";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    /**
     * The Web API call's span, under the service name given, and an event's: the event in Redis carries
     * the {@code traceparent} of the exported span that received it.
     */
    @Test
    void exportsTheSpansOfRtmConnectAndOfAnEvent(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Map<String, String> env = brokerWithOneBot(slack, redis, "otlp", "TOTLP1");
            env.put("OTEL_TRACES_EXPORTER", "otlp");
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
            env.put("OTEL_EXPORTER_OTLP_HEADERS", OtlpReceiver.API_KEY_HEADER + "=" + API_KEY);
            env.put("OTEL_SERVICE_NAME", "relax-under-test");
            env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
            try (BrokerJar jar = BrokerJar.start(env, logs)) {
                Workspace ws = slack.workspace("TOTLP1");
                User alice = ws.user("UOTLP1", "alice");
                Channel general = ws.channel("COTLP1", "general");
                await().atMost(WAIT).until(() -> ws.openConnections() == 1);

                await().atMost(WAIT).until(() -> receiver.exports().stream()
                        .anyMatch(e -> e.spanNames().contains("rtm.connect")));
                Export export = receiver.exports().stream()
                        .filter(e -> e.spanNames().contains("rtm.connect"))
                        .findFirst()
                        .orElseThrow();
                assertThat(export.serviceNames()).containsExactly("relax-under-test");
                assertThat(export.contentType()).isEqualTo("application/x-protobuf");
                assertThat(export.apiKey()).isEqualTo(API_KEY);
                assertThat(jar.stdout())
                        .contains("traces on: exporter=otlp endpoint=" + receiver.endpoint()
                                + "/v1/traces service=relax-under-test");
                assertThat(jar.output()).doesNotContain(API_KEY);

                ws.as(alice).post(general, "hello, traced");
                var r = redis.commands();
                await().atMost(WAIT).until(() -> r.llen("otlp_events") == 1);
                String traceparent =
                        RelaxJson.decodeEvent(r.lindex("otlp_events", 0)).traceparent();
                assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]");
                OtlpReceiver.Span received = new OtlpReceiver.Span("receive message_new", traceparent.substring(3, 35));
                await().atMost(WAIT).until(() -> receiver.exports().stream()
                        .anyMatch(e -> e.spans().contains(received)));
            }
        }
    }

    /** Spans still buffered when SIGTERM comes are exported before the process ends. */
    @Test
    void exportsBufferedSpansOnSigterm(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Map<String, String> env = brokerWithOneBot(slack, redis, "flush", "TOTLP2");
            env.put("OTEL_TRACES_EXPORTER", "otlp");
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
            env.put("OTEL_BSP_SCHEDULE_DELAY", "600000"); // never within the test: only the shutdown exports
            try (BrokerJar jar = BrokerJar.start(env, logs)) {
                await().atMost(WAIT).until(() -> slack.workspace("TOTLP2").openConnections() == 1);
                assertThat(receiver.exports()).isEmpty();

                jar.stop();
                assertThat(jar.exitsWithin(WAIT)).isTrue();

                assertThat(receiver.exports()).flatExtracting(Export::spanNames).contains("rtm.connect");
                assertThat(receiver.exports())
                        .flatExtracting(Export::serviceNames)
                        .containsOnly("relax-broker");
            }
        }
    }

    /**
     * Without {@code OTEL_TRACES_EXPORTER} nothing is exported, even with an endpoint set, and events are
     * the Go broker's byte for byte: no {@code traceparent}.
     */
    @Test
    void exportsNothingByDefaultAndEventsCarryNoTraceparent(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Map<String, String> env = brokerWithOneBot(slack, redis, "notrace", "TOTLP3");
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
            env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
            try (BrokerJar jar = BrokerJar.start(env, logs)) {
                Workspace ws = slack.workspace("TOTLP3");
                User alice = ws.user("UOTLP3", "alice");
                Channel general = ws.channel("COTLP3", "general");
                await().atMost(WAIT).until(() -> ws.openConnections() == 1);

                ws.as(alice).post(general, "hello, untraced");
                var r = redis.commands();
                await().atMost(WAIT).until(() -> r.llen("notrace_events") == 1);
                String event = r.lindex("notrace_events", 0);
                assertThat(RelaxJson.decodeEvent(event).text()).isEqualTo("hello, untraced");
                assertThat(event).doesNotContain("traceparent");
                assertThat(RelaxJson.decodeEvent(event).traceparent()).isEmpty();

                jar.stop(); // an SDK would export what it holds now
                assertThat(jar.exitsWithin(WAIT)).isTrue();
                assertThat(receiver.exports()).isEmpty();
                assertThat(jar.stdout()).contains("traces off: OTEL_TRACES_EXPORTER=none");
            }
        }
    }

    /** The jar's environment with keys prefixed {@code prefix}, and one RTM bot of a new workspace registered. */
    private static Map<String, String> brokerWithOneBot(
            SlackSimulator slack, EmbeddedRedis redis, String prefix, String teamId) {
        Workspace ws = slack.workspace(teamId);
        Bot bot = ws.bot("xoxb-" + prefix + "-token", "UBOT" + teamId, "relaxbot");
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix(prefix)
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .slackHost(slack.baseUrl())
                .port(0)
                .build();
        redis.commands()
                .hset(
                        config.botsKey(),
                        teamId,
                        RelaxJson.encodeRegistration(
                                BotRegistration.of(teamId, bot.token().reveal())));
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put("RELAX_START_JITTER", "0");
        return env;
    }
}
