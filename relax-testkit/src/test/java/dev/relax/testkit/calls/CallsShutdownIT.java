/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.client.CallResult;
import dev.relax.client.RelaxClient;
import dev.relax.client.SlackCall;
import dev.relax.client.WebApiCall;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.Workspace;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker that stops while a call is at Slack: the call finishes within the shutdown deadline; past it,
 * the broker that takes the entry over never repeats a call that may have happened, unless repeating it
 * is harmless.
 */
class CallsShutdownIT {
    @RegisterExtension
    final SlackSimulatorExtension slack = SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void callAtSlackWhenTheBrokerStopsFinishesWithinTheShutdownDeadline(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TSD1");
        Channel general = ws.channel("CSD1", "general");
        Bot bot = sim.app("ASD1").install(ws, "xoxb-sd1", "USD1");
        sim.slowAnswers("chat.postMessage", Duration.ofMillis(1500));
        TestBroker broker = start(sim, redis, "shutdown1", Duration.ofSeconds(10));
        try (RelaxClient relax = RelaxClient.create(broker.config());
                TestBroker closed = broker) {
            broker.addInstallation("ASD1", bot);
            SlackCall call = relax.postMessage("ASD1", "TSD1", general.id(), "once");
            await().atMost(WAIT)
                    .until(() -> !sim.recordings().apiCalls("chat.postMessage").isEmpty());

            closed.close();

            assertThat(relax.callResult(call.id()))
                    .as("stored before the broker let go")
                    .hasValueSatisfying(r -> {
                        assertThat(r.ok()).isTrue();
                        assertThat(r.attempts()).isEqualTo(1);
                        assertThat(r.ts()).isEqualTo(ws.history(general).get(0).ts());
                    });
            assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("once");
            assertThat(sim.recordings().apiCalls("chat.postMessage")).hasSize(1);
        }
    }

    @Test
    void postAtSlackPastTheShutdownDeadlineIsNotPostedAgainAndItsOutcomeIsUnknown(
            SlackSimulator sim, EmbeddedRedis redis) throws Exception {
        Workspace ws = sim.workspace("TSD2");
        Channel general = ws.channel("CSD2", "general");
        Bot bot = sim.app("ASD2").install(ws, "xoxb-sd2", "USD2");
        sim.slowAnswers("chat.postMessage", Duration.ofSeconds(5));
        TestBroker first = start(sim, redis, "shutdown2", Duration.ofMillis(300));
        try (RelaxClient relax = RelaxClient.create(first.config());
                TestBroker closedFirst = first) {
            first.addInstallation("ASD2", bot);
            SlackCall call = relax.postMessage("ASD2", "TSD2", general.id(), "maybe once");
            await().atMost(WAIT)
                    .until(() -> !sim.recordings().apiCalls("chat.postMessage").isEmpty());

            closedFirst.close();
            assertThat(relax.callResult(call.id())).isEmpty();
            sim.slowAnswers("chat.postMessage", Duration.ZERO);
            try (TestBroker second = start(sim, redis, "shutdown2", Duration.ofSeconds(10))) {
                CallResult result = call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);

                assertThat(List.of(result.ok(), result.error(), result.attempts()))
                        .containsExactly(false, "outcome_unknown", 1);
                assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("maybe once");
                assertThat(sim.recordings().apiCalls("chat.postMessage")).hasSize(1);
            }
        }
    }

    @Test
    void updateAtSlackPastTheShutdownDeadlineIsMadeAgain(SlackSimulator sim, EmbeddedRedis redis) throws Exception {
        Workspace ws = sim.workspace("TSD3");
        Channel general = ws.channel("CSD3", "general");
        Bot bot = sim.app("ASD3").install(ws, "xoxb-sd3", "USD3");
        TestBroker first = start(sim, redis, "shutdown3", Duration.ofMillis(300));
        try (RelaxClient relax = RelaxClient.create(first.config());
                TestBroker closedFirst = first) {
            first.addInstallation("ASD3", bot);
            CallResult posted = relax.postMessage("ASD3", "TSD3", general.id(), "v1")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            sim.slowAnswers("chat.update", Duration.ofSeconds(5));
            SlackCall update = relax.call(WebApiCall.update("ASD3", "TSD3", general.id(), posted.ts())
                    .text("v2")
                    .build());
            await().atMost(WAIT)
                    .until(() -> !sim.recordings().apiCalls("chat.update").isEmpty());

            closedFirst.close();
            assertThat(relax.callResult(update.id())).isEmpty();
            sim.slowAnswers("chat.update", Duration.ZERO);
            try (TestBroker second = start(sim, redis, "shutdown3", Duration.ofSeconds(10))) {
                CallResult result = update.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);

                assertThat(result.ok()).as(result.toString()).isTrue();
                assertThat(result.attempts())
                        .as("the first broker's attempt counts")
                        .isEqualTo(2);
                assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("v2");
                assertThat(sim.recordings().apiCalls("chat.update")).hasSize(2);
            }
        }
    }

    /**
     * A stopping broker hands the calls that have not reached Slack to the others at once (their entries
     * idle as after the claim idle time), while a call at Slack still has its time to finish.
     */
    @Test
    void callsNotAtSlackAreHandedOverAtOnceWhileACallAtSlackFinishes(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TSD4");
        Channel general = ws.channel("CSD4", "general");
        Channel other = ws.channel("CSD4B", "other");
        Bot bot = sim.app("ASD4").install(ws, "xoxb-sd4", "USD4");
        TestBroker broker = start(sim, redis, "shutdown4", Duration.ofSeconds(10));
        RedisClusterCommands<String, String> raw = redis.commands();
        try (RelaxClient relax = RelaxClient.create(broker.config());
                TestBroker closed = broker) {
            broker.addInstallation("ASD4", bot);
            String calls = broker.config().callsKey();
            CallResult posted = relax.postMessage("ASD4", "TSD4", other.id(), "v1")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            sim.rateLimit("chat.postMessage", Duration.ofSeconds(5));
            SlackCall waiting = relax.postMessage("ASD4", "TSD4", general.id(), "waits for Slack's limit");
            await().atMost(WAIT).until(() -> raw.exists(calls + ":hold:TSD4:chat.postMessage") == 1);
            sim.slowAnswers("chat.update", Duration.ofSeconds(4));
            SlackCall atSlack = relax.call(WebApiCall.update("ASD4", "TSD4", other.id(), posted.ts())
                    .text("v2")
                    .build());
            await().atMost(WAIT)
                    .until(() -> !sim.recordings().apiCalls("chat.update").isEmpty());

            Thread closer = Thread.ofVirtual().start(closed::close);
            // The waiting call is the earlier entry; the test's claim idle time is 2 s.
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> raw.xpending(calls, "relax-brokers", Range.create("-", "+"), Limit.from(1))
                                    .get(0)
                                    .getMsSinceLastDelivery()
                            >= 2000);
            assertThat(closer.isAlive()).as("still letting the update finish").isTrue();
            closer.join();

            assertThat(relax.callResult(atSlack.id()))
                    .hasValueSatisfying(r -> assertThat(r.ok()).isTrue());
            assertThat(relax.callResult(waiting.id())).isEmpty();
        }
    }

    private static TestBroker start(SlackSimulator sim, EmbeddedRedis redis, String prefix, Duration shutdownTimeout) {
        return TestBroker.builder(sim, redis)
                .config(c -> c.keysWithPrefix(prefix))
                .options(o -> o.shutdownTimeout(shutdownTimeout))
                .start();
    }
}
