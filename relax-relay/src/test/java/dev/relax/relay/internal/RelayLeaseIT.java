/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.protocol.AppRegistration;
import dev.relax.examples.relay.SampleBackend;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

    private static Relay start(Setup s, SampleBackend backend) {
        return Relay.start(
                s.broker().client(),
                RelaySettings.defaults(BackendSettings.defaults(backend.url())).withLease(Duration.ofSeconds(2)));
    }

    /** A backend slow enough (a word every 150 ms) that the answer is under way for a few seconds. */
    private static SampleBackend slowBackend() {
        return SampleBackend.builder().chunkDelay(Duration.ofMillis(150)).start();
    }

    @Test
    void aLapsedLeaseNoOtherInstanceTookIsTakenBackAndTheAnswerCompleted(SlackSimulator slack, EmbeddedRedis redis) {
        try (Setup s = setup(slack, redis);
                SampleBackend backend = slowBackend();
                Relay relay = start(s, backend)) {
            String question = s.ws().as(s.alice()).mention(s.bot(), s.general(), QUESTION);
            String keys = s.claimKeys(question);
            await().atMost(WAIT).until(() -> s.stream(slack, question).isPresent());

            s.broker().redis().del(keys + "claim"); // as if it expired while the relay stalled

            await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
            assertThat(s.answers()).singleElement().satisfies(m -> {
                assertThat(m.threadTs()).isEqualTo(question);
                assertThat(m.text()).isEqualTo(SampleBackend.answerTo(QUESTION));
            });
            assertThat(s.stream(slack, question).orElseThrow().stopped()).isTrue();
            assertThat(backend.requests()).hasSize(1);
            assertThat(s.broker().redis().get(keys + "answered")).isEqualTo("1");
            assertThat(s.broker().redis().exists(keys + "claim", keys + "message"))
                    .isZero();
        }
    }

    @Test
    void anInstanceThatLostItsClaimToAnotherStopsWritingAndLeavesTheQuestionToIt(
            SlackSimulator slack, EmbeddedRedis redis) {
        try (Setup s = setup(slack, redis);
                SampleBackend backend = slowBackend();
                Relay relay = start(s, backend)) {
            String question = s.ws().as(s.alice()).mention(s.bot(), s.general(), QUESTION);
            String keys = s.claimKeys(question);
            await().atMost(WAIT)
                    .until(() -> s.stream(slack, question).isPresent()
                            && s.broker().redis().get(keys + "message") != null);
            String ts = s.stream(slack, question).orElseThrow().ts();

            // Another instance took the question over after this one's lease lapsed.
            s.broker().redis().psetex(keys + "claim", WAIT.toMillis(), "relay-other");

            await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
            StreamedMessage left = s.stream(slack, question).orElseThrow();
            assertThat(left.stopped()).isFalse();
            assertThat(SampleBackend.answerTo(QUESTION)).startsWith(left.text()).isNotEqualTo(left.text());
            // Still the other instance's to answer: if it is killed too, the next delivery completes the answer.
            assertThat(s.broker().redis().get(keys + "answered")).isNull();
            assertThat(s.broker().redis().get(keys + "claim")).isEqualTo("relay-other");
            assertThat(s.broker().redis().get(keys + "message")).isEqualTo(ts);
        }
    }
}
