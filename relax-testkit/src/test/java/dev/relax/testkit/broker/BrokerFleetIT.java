/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.MutexMode;
import dev.relax.core.event.WireEvent;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several brokers on one Redis: each event pushed exactly once. */
class BrokerFleetIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void twoBrokersHoldingTheSameBotPushEachEventOnce(SlackSimulator slack, EmbeddedRedis redis) {
        String id = "TFL" + RUNS.incrementAndGet();
        Workspace ws = slack.workspace(id);
        Bot bot = ws.bot("xoxb-" + id, "UBOT" + id, "relaxbot");
        User alice = ws.user("UA" + id, "alice");
        Channel general = ws.channel("C" + id, "general");
        String keys = "fleet" + id;
        try (TestBroker a = TestBroker.builder(slack, redis)
                        .config(c -> c.keysWithPrefix(keys))
                        .start();
                TestBroker b = TestBroker.builder(slack, redis)
                        .config(c -> c.keysWithPrefix(keys))
                        .start()) {
            a.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 2);

            for (int i = 0; i < 200; i++) {
                ws.as(alice).post(general, "m" + i);
            }
            String ts = ws.as(alice).post(general, "last");
            ws.as(alice).react(general, ts, "eyes");

            await().atMost(WAIT).until(() -> a.events().size() >= 202);
            await().during(Duration.ofMillis(500))
                    .atMost(WAIT)
                    .until(() -> a.events().size() == 202);
            assertThat(a.events()).extracting(WireEvent::text).doesNotHaveDuplicates();
            assertThat(deduplicated(a) + deduplicated(b)).isEqualTo(202);
            // Bounded state: one expiring key per event, with team and namespace in its name.
            assertThat(a.redis().keys(keys + "_mutex:" + id + ":*")).hasSize(202);
            assertThat(a.redis()
                            .ttl(a.redis().keys(keys + "_mutex:" + id + ":*").get(0)))
                    .isPositive();
        }
    }

    @Test
    void hashModeWritesTheGoBrokersMutexFieldsByteForByte(SlackSimulator slack, EmbeddedRedis redis) {
        String id = "THS" + RUNS.incrementAndGet();
        Workspace ws = slack.workspace(id);
        Bot bot = ws.bot("xoxb-" + id, "UBOT" + id, "relaxbot");
        User alice = ws.user("UA" + id, "alice");
        Channel general = ws.channel("C" + id, "general");
        try (TestBroker relax = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("go" + id).mutexMode(MutexMode.HASH))
                .start()) {
            relax.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);

            String ts = ws.as(alice).post(general, "hello go");

            await().atMost(WAIT).until(() -> relax.events().size() == 1);
            Map<String, String> mutex = relax.redis().hgetall("go" + id + "_mutex");
            assertThat(mutex).containsEntry("bot_message:" + general.id() + ":" + ts, "ok");
            assertThat(mutex).containsKey("bot-" + id + "-started");
            assertThat(relax.redis().keys("go" + id + "_mutex:*")).isEmpty();
        }
    }

    private static long deduplicated(TestBroker relax) {
        return relax.metrics().count("relax_events_deduplicated_total");
    }
}
