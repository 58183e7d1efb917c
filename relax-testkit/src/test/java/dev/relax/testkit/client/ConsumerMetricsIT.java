/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.client.CallResult;
import dev.relax.client.EventConsumer;
import dev.relax.client.RelaxClient;
import dev.relax.core.event.MessageNew;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's meters with a real broker and a real consumer: exact counts of handler runs, retries, dead
 * letters and calls for the events and calls a test makes, and the queue gauges the heartbeat refreshes.
 */
class ConsumerMetricsIT {
    @RegisterExtension
    final SlackSimulatorExtension slack = SlackSimulatorExtension.create().withBroker();

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private long handlerRuns(String outcome) {
        return registry.find("relax.consumer.handler").tags("type", "message_new", "outcome", outcome).timers().stream()
                .mapToLong(Timer::count)
                .sum();
    }

    private double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private double gauge(String name, EventConsumer consumer) {
        return registry.get(name).tag("consumer", consumer.id()).gauge().value();
    }

    @Test
    void handlerRunsRetriesAndDeadLettersOfTheEventsSentAreCountedExactly(SlackSimulator sim, TestBroker broker) {
        Workspace ws = sim.workspace("TMET1");
        User alice = ws.user("UMET1", "alice");
        Channel general = ws.channel("CMET1", "general");
        Bot bot = ws.bot("xoxb-met-1", "UBOTMET1", "relaxbot");
        List<String> handled = new CopyOnWriteArrayList<>();
        List<String> dead = new CopyOnWriteArrayList<>();
        try (RelaxClient relax = RelaxClient.builder(broker.config())
                        .meterRegistry(registry)
                        .build();
                EventConsumer consumer = relax.consumer() // inherits the client's registry
                        .maxAttempts(3)
                        .retryBackoff(Duration.ofMillis(10))
                        .heartbeat(Duration.ofMillis(300))
                        .on(MessageNew.class, m -> {
                            if (m.text().endsWith("poison")) {
                                throw new IllegalStateException("cannot digest it");
                            }
                            handled.add(m.text());
                        })
                        .onError(letter -> dead.add(letter.rawEvent()))
                        .start()) {
            broker.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);
            ws.as(alice).mention(bot, general, "one");
            ws.as(alice).mention(bot, general, "poison");
            ws.as(alice).mention(bot, general, "two");
            broker.redis().rpush(broker.config().eventsQueue(), "{not json");

            await().atMost(WAIT).until(() -> handled.size() == 2 && dead.size() == 2);
            assertThat(handlerRuns("ok")).isEqualTo(2);
            assertThat(handlerRuns("error")).isEqualTo(3);
            assertThat(counter("relax.consumer.retries", "type", "message_new")).isEqualTo(2);
            assertThat(counter("relax.consumer.dead.letters", "reason", "failed"))
                    .isEqualTo(1);
            assertThat(counter("relax.consumer.dead.letters", "reason", "malformed"))
                    .isEqualTo(1);
            assertThat(registry.get("relax.consumer.handler")
                            .tag("queue", broker.config().eventsQueue())
                            .timers())
                    .isNotEmpty();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(gauge("relax.consumer.queue.length", consumer)).isZero();
                assertThat(gauge("relax.consumer.queue.oldest.age", consumer)).isZero();
                assertThat(gauge("relax.consumer.processing.length", consumer)).isZero();
            });

            consumer.stop(Duration.ofSeconds(5));
            assertThat(registry.find("relax.consumer.queue.length").gauges()).isEmpty();
        }
    }

    @Test
    void webApiCallsAreTimedByMethodAndOutcomeUntilTheirResult(SlackSimulator sim, TestBroker broker) throws Exception {
        Workspace ws = sim.workspace("TMET2");
        Channel general = ws.channel("CMET2", "general");
        Bot app = sim.app("AMET2").install(ws, "xoxb-met-2", "UMET2");
        broker.addInstallation("AMET2", app);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (RelaxClient relax =
                RelaxClient.builder(broker.config()).meterRegistry(prometheus).build()) {
            for (String text : List.of("a", "b")) {
                CallResult r = relax.postMessage("AMET2", "TMET2", general.id(), text)
                        .result()
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(r.ok()).as(r.toString()).isTrue();
            }
            CallResult refused = relax.postMessage("ANOTHERE", "TMET2", general.id(), "c")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(refused.ok()).isFalse();

            String scrape = prometheus.scrape();
            assertThat(scrape)
                    .contains("relax_client_calls_seconds_count{method=\"chat.postMessage\",outcome=\"ok\"} 2")
                    .contains("relax_client_calls_seconds_count{method=\"chat.postMessage\",outcome=\"error\"} 1")
                    .contains(
                            "relax_client_calls_seconds_bucket{method=\"chat.postMessage\",outcome=\"ok\",le=\"300.0\"} 2")
                    .contains("relax_client_calls_pending{stream=\""
                            + broker.config().callsKey() + "\"} 0");
        }
        assertThat(prometheus.scrape()).doesNotContain("relax_client_calls_pending");
    }

    @Test
    void queueGaugesShowTheWaitingEventsTheAgeOfTheOldestAndTheProcessingList(TestBroker broker) {
        String queue = broker.config().eventsQueue();
        long happened = Instant.now().minusSeconds(60).getEpochSecond();
        CountDownLatch release = new CountDownLatch(1);
        try (EventConsumer consumer = broker.client()
                .consumer()
                .meterRegistry(registry) // a registry of the consumer's own: the client has none
                .concurrency(1)
                .heartbeat(Duration.ofMillis(300))
                .on(MessageNew.class, m -> release.await())
                .start()) {
            for (int i = 0; i < 3; i++) {
                broker.redis()
                        .rpush(
                                queue,
                                RelaxJson.encodeEvent(WireEvent.builder("message_new")
                                        .teamUid("T1")
                                        .channelUid("C1")
                                        .text("m" + i)
                                        .eventTimestamp((happened + i) + ".000100")
                                        .build()));
            }

            // One event is being handled; the two behind it wait, the older of them stamped 59 s ago.
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(gauge("relax.consumer.queue.length", consumer)).isEqualTo(2);
                assertThat(gauge("relax.consumer.processing.length", consumer)).isEqualTo(1);
                assertThat(gauge("relax.consumer.queue.oldest.age", consumer))
                        .isBetween(59.0, 59.0 + WAIT.toSeconds() + 1);
            });
            release.countDown();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(gauge("relax.consumer.queue.length", consumer)).isZero();
                assertThat(gauge("relax.consumer.queue.oldest.age", consumer)).isZero();
                assertThat(gauge("relax.consumer.processing.length", consumer)).isZero();
            });
        } finally {
            release.countDown();
        }
    }
}
