/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.RelaxConfig;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedSentinel;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar with {@code REDIS_SENTINELS}: it finds the primary, and the new one after a failover. */
class BrokerJarSentinelIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    @Test
    void pushesEventsToTheNewPrimaryAfterAFailoverWithoutARestart() throws Exception {
        try (EmbeddedSentinel redis = EmbeddedSentinel.start();
                SlackSimulator slack = SlackSimulator.builder().start()) {
            Workspace ws = slack.workspace("TJS1");
            Bot bot = ws.bot("xoxb-jar-sentinel", "UJS1", "relaxbot");
            User alice = ws.user("UJSA", "alice");
            Channel general = ws.channel("CJS1", "general");
            int port = BrokerJar.freePort();
            RelaxConfig config = RelaxConfig.builder()
                    .keysWithPrefix("jarsentinel")
                    .redis(redis.address())
                    .slackHost(slack.baseUrl())
                    .port(port)
                    .build();
            Map<String, String> env = new HashMap<>(config.toEnv());
            env.remove("REDIS_URL");
            env.put(
                    "REDIS_SENTINELS",
                    redis.sentinelPorts().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
            env.put("REDIS_SENTINEL_MASTER", EmbeddedSentinel.PRIMARY_NAME);
            env.put("RELAX_PING_INTERVAL", "0.5");
            var r = redis.commands();
            r.hset(
                    config.botsKey(),
                    "TJS1",
                    RelaxJson.encodeRegistration(
                            BotRegistration.of("TJS1", bot.token().reveal())));
            try (BrokerJar jar = BrokerJar.start(env, logs)) {
                jar.awaitReady(port);
                await().atMost(WAIT).until(() -> ws.openConnections() == 1);
                ws.as(alice).post(general, "before the failover");
                await().atMost(WAIT).until(() -> r.llen(config.eventsQueue()) == 1);
                r.waitForReplication(1, 5_000);

                redis.killPrimary();
                await().atMost(WAIT).until(() -> BrokerHttp.get(port, "/ready").statusCode() == 503);
                redis.awaitFailover(WAIT);
                ws.as(alice).post(general, "after the failover");

                await().atMost(WAIT).ignoreExceptions().until(() -> r.llen(config.eventsQueue()) == 2);
                assertThat(r.lrange(config.eventsQueue(), 0, -1))
                        .map(json -> RelaxJson.decodeEvent(json).text())
                        .containsExactlyInAnyOrder("before the failover", "after the failover");
                assertThat(BrokerHttp.get(port, "/ready").statusCode()).isEqualTo(200);
                assertThat(jar.output()).doesNotContain("relax broker stopped");
            }
        }
    }
}
