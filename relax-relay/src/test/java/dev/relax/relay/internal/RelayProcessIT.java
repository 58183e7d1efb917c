/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.examples.relay.SampleBackend;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar ({@code relax-relay/target/relax-relay.jar}, built by {@code package}, before Failsafe
 * runs) as an operator runs it: a separate process with only the environment given.
 */
class RelayProcessIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Where each test's relay writes; kept when the test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    @Test
    void quickStartAnswersAMentionInItsThreadAndStopsWithExitCode0OnSigterm(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = slack.workspace("TPROCRELAY");
        User alice = ws.user("UAPROCRELAY", "alice");
        Channel general = ws.channel("CPROCRELAY", "general");
        App app = slack.app("APROCRELAY").appToken("xapp-1-APROCRELAY-secret");
        Bot bot = app.install(ws, "xoxb-procrelay-secret", "UBPROCRELAY");
        try (SampleBackend backend =
                SampleBackend.builder().chunkDelay(Duration.ofMillis(5)).start()) {
            Map<String, String> env = new HashMap<>();
            env.put("BACKEND_URL", backend.url().toString());
            env.put("SLACK_APP_TOKEN", "xapp-1-APROCRELAY-secret");
            env.put("SLACK_BOT_TOKEN", bot.token().reveal());
            env.put("SLACK_HOST", slack.baseUrl());
            env.put("REDIS_URL", redis.uri().toString());
            env.put("RELAX_BOTS_KEY", "procrelay_bots");
            env.put("RELAX_EVENTS_QUEUE", "procrelay_events");
            try (RelayJar relay = RelayJar.start(env, logs)) {
                await().atMost(WAIT)
                        .until(() ->
                                app.openConnections() > 0 || !relay.process().isAlive());
                assertThat(relay.process().isAlive()).as(relay.output()).isTrue();

                String question = ws.as(alice).mention(bot, general, "what is the deploy status?");

                String answer = "You asked: what is the deploy status? — that is all I know.";
                await().atMost(WAIT).until(() -> botMessages(ws, general, bot).stream()
                        .anyMatch(m -> m.text().equals(answer)));
                assertThat(botMessages(ws, general, bot)).singleElement().satisfies(m -> {
                    assertThat(m.text()).isEqualTo(answer);
                    assertThat(m.threadTs()).isEqualTo(question);
                });

                relay.process().destroy(); // SIGTERM
                assertThat(relay.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .as(relay.output())
                        .isTrue();
                assertThat(relay.process().exitValue()).as(relay.output()).isZero();
                await().atMost(WAIT).until(() -> app.openConnections() == 0);
                assertThat(relay.output())
                        .contains("relay started: mode=quick start, backend=" + backend.url() + ", concurrency=16")
                        .contains("relay stopped")
                        .doesNotContain("-secret");
            }
        }
    }

    @Test
    void aBadVariableExitsWith2AndOneLineOnStderr() throws Exception {
        Map<String, String> env = Map.of("BACKEND_URL", "http://127.0.0.1:9/", "RELAY_CONCURRENCY", "many");
        try (RelayJar relay = RelayJar.start(env, logs)) {
            assertThat(relay.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();

            assertThat(relay.process().exitValue()).isEqualTo(2);
            assertThat(relay.stderr())
                    .isEqualTo("relax-relay: RELAY_CONCURRENCY must be a whole number in 1..10000, was 'many'\n");
        }
    }

    @Test
    void manifestPrintsTheSocketModeManifest() throws Exception {
        try (RelayJar relay = RelayJar.start(Map.of(), logs, "manifest")) {
            assertThat(relay.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();

            assertThat(relay.process().exitValue()).isZero();
            assertThat(relay.stdout()).isEqualTo(Manifest.socketMode());
        }
    }

    private static List<ChannelMessage> botMessages(Workspace ws, Channel channel, Bot bot) {
        return ws.history(channel).stream()
                .filter(m -> m.user().equals(bot.userId()))
                .toList();
    }
}
