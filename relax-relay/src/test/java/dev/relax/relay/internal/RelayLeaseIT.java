/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.protocol.AppRegistration;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.StreamedMessage;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an instance does when its lease on a question lapses mid-answer (Redis or its JVM stalled longer than
 * the lease): it goes on when no other instance took the question, and stops without marking the question
 * answered when another did.
 */
class RelayLeaseIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String QUESTION =
            "tell me everything about the deploys of this week, one by one, and what went wrong in each";
    /** The answer's chunks before and after the held backend lets it go on. */
    private static final List<String> BEFORE = List.of("Monday: ", "one ", "deploy, ");

    private static final List<String> AFTER = List.of("rolled ", "back ", "at noon.");
    private static final String ANSWER = String.join("", BEFORE) + String.join("", AFTER);

    private record Setup(App app, Workspace ws, Bot bot, User alice, Channel general, TestBroker broker)
            implements AutoCloseable {
        List<ChannelMessage> answers() {
            return ws.history(general).stream()
                    .filter(m -> m.user().equals(bot.userId()))
                    .toList();
        }

        String claimKeys(String questionTs) {
            String id = app.id() + ":" + ws.id() + ":" + general.id() + ":" + questionTs;
            return broker.config().eventsQueue() + ":relay:{" + id + "}:";
        }

        Optional<StreamedMessage> stream(SlackSimulator slack, String questionTs) {
            return slack.recordings().streams().stream()
                    .filter(m ->
                            m.channel().equals(general.id()) && m.threadTs().equals(questionTs))
                    .findFirst();
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    private static Setup setup(SlackSimulator slack, EmbeddedRedis redis) {
        String id = "RLL" + RUNS.incrementAndGet();
        App app = slack.app("A" + id).appToken("xapp-1-A" + id + "-secret");
        Workspace ws = slack.workspace("T" + id);
        Bot bot = app.install(ws, "xoxb-" + id, "UB" + id);
        TestBroker broker = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("lease" + id))
                .start();
        broker.addInstallation(app.id(), bot);
        broker.client()
                .registerApp(AppRegistration.socketMode(app.id(), "xapp-1-A" + id + "-secret")
                        .withConnections(1));
        await().atMost(WAIT).until(() -> app.openConnections() == 1);
        return new Setup(app, ws, bot, ws.user("UA" + id, "alice"), ws.channel("C" + id, "general"), broker);
    }

    private static Relay start(Setup s, ScriptedBackend backend, MeterRegistry registry) {
        return Relay.start(
                s.broker().client(),
                RelaySettings.defaults(BackendSettings.defaults(backend.url())).withLease(Duration.ofSeconds(2)),
                Clock.systemUTC(),
                OpenTelemetry.noop(),
                registry);
    }

    /**
     * A backend that streams {@link #BEFORE}, then holds the answer until {@code release} opens (so that it is
     * under way for as long as the test needs, however slow the machine), then streams {@link #AFTER}.
     */
    private static ScriptedBackend heldBackend(CountDownLatch release) {
        return new ScriptedBackend((exchange, call) -> {
            ScriptedBackend.startStream(exchange);
            for (String chunk : BEFORE) {
                ScriptedBackend.chunk(exchange, chunk);
            }
            try {
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (String chunk : AFTER) {
                ScriptedBackend.chunk(exchange, chunk);
            }
            ScriptedBackend.done(exchange);
        });
    }

    private static double inFlight(MeterRegistry registry) {
        return registry.get("relax.relay.questions.in.flight").gauge().value();
    }

    @Test
    void aLapsedLeaseNoOtherInstanceTookIsTakenBackAndTheAnswerCompleted(SlackSimulator slack, EmbeddedRedis redis) {
        CountDownLatch release = new CountDownLatch(1);
        try (Setup s = setup(slack, redis);
                ScriptedBackend backend = heldBackend(release);
                Relay relay = start(s, backend, new SimpleMeterRegistry())) {
            String question = s.ws().as(s.alice()).mention(s.bot(), s.general(), QUESTION);
            String keys = s.claimKeys(question);
            await().atMost(WAIT).until(() -> s.stream(slack, question).isPresent());

            s.broker().redis().del(keys + "claim"); // as if it expired while the relay stalled
            // Taken back by the relay's next renewal, while the backend still holds the answer.
            await().atMost(WAIT).until(() -> s.broker().redis().get(keys + "claim") != null);
            assertThat(s.broker().redis().get(keys + "claim")).startsWith("relay-");
            release.countDown();

            await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
            assertThat(s.answers()).singleElement().satisfies(m -> {
                assertThat(m.threadTs()).isEqualTo(question);
                assertThat(m.text()).isEqualTo(ANSWER);
            });
            assertThat(s.stream(slack, question).orElseThrow().stopped()).isTrue();
            assertThat(backend.calls()).isEqualTo(1);
            assertThat(s.broker().redis().get(keys + "answered")).isEqualTo("1");
            assertThat(s.broker().redis().exists(keys + "claim", keys + "message"))
                    .isZero();
        }
    }

    @Test
    void anInstanceThatLostItsClaimToAnotherStopsWritingAndLeavesTheQuestionToIt(
            SlackSimulator slack, EmbeddedRedis redis) {
        CountDownLatch release = new CountDownLatch(1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Setup s = setup(slack, redis);
                ScriptedBackend backend = heldBackend(release);
                Relay relay = start(s, backend, registry)) {
            String question = s.ws().as(s.alice()).mention(s.bot(), s.general(), QUESTION);
            String keys = s.claimKeys(question);
            await().atMost(WAIT)
                    .until(() -> s.stream(slack, question).isPresent()
                            && s.broker().redis().get(keys + "message") != null);
            String ts = s.stream(slack, question).orElseThrow().ts();
            assertThat(inFlight(registry)).isEqualTo(1);

            // Another instance took the question over after this one's lease lapsed.
            s.broker().redis().psetex(keys + "claim", WAIT.toMillis(), "relay-other");
            // This one notices at its next renewal and lets the question go, while the backend still holds
            // the answer: only then may the rest of the answer come.
            await().atMost(WAIT).until(() -> inFlight(registry) == 0);
            assertThat(relay.questionsDone()).isZero();
            release.countDown();

            await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
            StreamedMessage left = s.stream(slack, question).orElseThrow();
            assertThat(left.stopped()).isFalse();
            assertThat(ANSWER).startsWith(left.text()).isNotEqualTo(left.text());
            // Still the other instance's to answer: if it is killed too, the next delivery completes the answer.
            assertThat(s.broker().redis().get(keys + "answered")).isNull();
            assertThat(s.broker().redis().get(keys + "claim")).isEqualTo("relay-other");
            assertThat(s.broker().redis().get(keys + "message")).isEqualTo(ts);
        }
    }
}
