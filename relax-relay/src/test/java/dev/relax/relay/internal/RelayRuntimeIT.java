/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The quick start in this JVM against the simulator: the relay finds its app from the bot token, registers
 * the app and the installation, and its broker holds the app's Socket Mode connection until closed.
 */
class RelayRuntimeIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private record Setup(App app, Workspace ws, Bot bot, Map<String, String> env) {}

    private static Setup setup(SlackSimulator slack) {
        String id = "RR" + RUNS.incrementAndGet();
        Workspace ws = slack.workspace("T" + id);
        App app = slack.app("A" + id).appToken("xapp-1-A" + id + "-secret");
        Bot bot = app.install(ws, "xoxb-" + id + "-secret", "UB" + id);
        Map<String, String> env = new HashMap<>();
        env.put("BACKEND_URL", "http://127.0.0.1:9/");
        env.put("SLACK_APP_TOKEN", "xapp-1-A" + id + "-secret");
        env.put("SLACK_BOT_TOKEN", bot.token().reveal());
        env.put("SLACK_HOST", slack.baseUrl());
        return new Setup(app, ws, bot, env);
    }

    private static RelayRuntime start(Map<String, String> env) {
        return RelayRuntime.start(RelayEnvironment.fromEnv(env), env);
    }

    @Test
    void quickStartRegistersTheAppItFindsThroughBotsInfoAndHoldsItsSocket(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        s.env().put("REDIS_URL", redis.uri().toString());
        s.env().put("RELAX_BOTS_KEY", "rr_bots_" + s.app().id());

        try (RelayRuntime runtime = start(s.env())) {
            await().atMost(WAIT).until(() -> s.app().openConnections() > 0);

            String apps = redis.commands()
                    .hget("rr_bots_" + s.app().id() + ":apps", s.app().id());
            AppRegistration app = RelaxJson.decodeApp(apps);
            assertThat(app.appToken().reveal())
                    .isEqualTo("xapp-1-A" + s.app().id().substring(1) + "-secret");
            Installation installation = RelaxJson.decodeInstallation(redis.commands()
                    .hget("rr_bots_" + s.app().id() + ":installations", s.app().id() + ":" + s.ws().id()));
            assertThat(installation.botUserId()).isEqualTo(s.bot().userId());
            assertThat(installation.botToken()).isEqualTo(s.bot().token());
            assertThat(slack.recordings().apiCalls("bots.info"))
                    .filteredOn(call -> call.token().equals(s.bot().token()))
                    .singleElement()
                    .satisfies(call ->
                            assertThat(call.arg("bot")).isEqualTo(s.bot().botId()));
        }
        await().atMost(WAIT).until(() -> s.app().openConnections() == 0);
    }

    @Test
    void metricsPortServesTheRelaysMetersAndHealth(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        Setup s = setup(slack);
        s.env().put("REDIS_URL", redis.uri().toString());
        s.env().put("RELAX_BOTS_KEY", "rr_bots_" + s.app().id());
        s.env().put("RELAY_METRICS_PORT", "0");

        try (RelayRuntime runtime = start(s.env());
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            int port = runtime.metricsPort().orElseThrow();
            var metrics = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            var health = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/health"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue(MetricsServer.PROMETHEUS_TEXT);
            assertThat(metrics.body())
                    .contains("relax_relay_questions_in_flight 0.0")
                    .contains("# TYPE relax_relay_first_chunk_seconds histogram")
                    .contains("jvm_memory_used_bytes{");
            assertThat(health.body()).isEqualTo("ok\n");
        }
    }

    @Test
    void aMetricsPortThatIsNoPortIsAConfigurationError() {
        assertThatThrownBy(() -> RelayRuntime.metricsPort(Map.of("RELAY_METRICS_PORT", "metrics")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RELAY_METRICS_PORT must be a port (0..65535), was 'metrics'");
    }

    @Test
    void quickStartWithoutRedisUrlRunsItsOwnRedis(SlackSimulator slack) {
        Setup s = setup(slack);

        try (RelayRuntime runtime = start(s.env())) {
            // The broker connects the app only once it has read the registration from Redis.
            await().atMost(WAIT).until(() -> s.app().openConnections() > 0);
        }
        await().atMost(WAIT).until(() -> s.app().openConnections() == 0);
    }

    @Test
    void anAppIdGivenSparesTheBotsInfoCall(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        s.env().put("REDIS_URL", redis.uri().toString());
        s.env().put("RELAX_BOTS_KEY", "rr_bots_" + s.app().id());
        s.env().put("SLACK_APP_ID", s.app().id());

        try (RelayRuntime runtime = start(s.env())) {
            await().atMost(WAIT).until(() -> s.app().openConnections() > 0);
        }
        assertThat(slack.recordings().apiCalls("bots.info"))
                .filteredOn(call -> call.token().equals(s.bot().token()))
                .isEmpty();
    }

    @Test
    void aBotTokenSlackRefusesIsAConfigurationErrorThatShowsNoToken(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        s.env().put("REDIS_URL", redis.uri().toString());
        s.env().put("SLACK_BOT_TOKEN", "xoxb-unknown-s3cret");

        assertThatThrownBy(() -> start(s.env()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SLACK_BOT_TOKEN was refused by Slack's auth.test: invalid_auth");
        assertThat(s.app().openConnections()).isZero();
    }
}
