/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.RelaxConfig;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
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
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * One question, one answer, with relay instances as separate processes in fleet mode beside a broker: an
 * instance killed with SIGKILL mid-answer has its answer completed by another, in the same message, and a
 * question delivered twice to a fleet is answered once.
 */
class RelayCrashIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    /** Generous: a relay JVM takes seconds to start on a loaded CI machine. */
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static final AtomicInteger RUNS = new AtomicInteger();
    /** Long enough that the sample backend, one word per chunk, takes several seconds to answer it. */
    private static final String QUESTION = "please summarise the state of every deploy in the eu west region"
            + " for the last week, with the failures first and the rollbacks after them";
    /** The scripted backend's answer to it, chunk by chunk. */
    private static final List<String> CHUNKS = List.of("Two ", "deploys ", "failed, ", "one ", "rolled ", "back.");

    /** Where each test's relays write; kept when the test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    /** Every relay process a test started, killed after it whatever happened. */
    private final List<RelayJar> relays = new ArrayList<>();

    @AfterEach
    void killRelays() throws InterruptedException {
        for (RelayJar relay : relays) {
            relay.close();
        }
    }

    private record Setup(
            App app, Workspace ws, Bot bot, User alice, Channel general, TestBroker broker, Map<String, String> env)
            implements AutoCloseable {
        List<ChannelMessage> answers() {
            return ws.history(general).stream()
                    .filter(m -> m.user().equals(bot.userId()))
                    .toList();
        }

        /** The relay's id of the question asked at {@code questionTs} (Relay.questionId). */
        String questionId(String questionTs) {
            return app.id() + ":" + ws.id() + ":" + general.id() + ":" + questionTs;
        }

        /** The prefix of that question's keys (QuestionClaims): {@code <queue>:relay:{<id>}:}. */
        String claimKeys(String questionTs) {
            return broker.config().eventsQueue() + ":relay:{" + questionId(questionTs) + "}:";
        }

        /** Events in the queue or in a consumer's processing list (taken, not yet acknowledged). */
        long unfinishedEvents() {
            String queue = broker.config().eventsQueue();
            long unfinished = broker.redis().llen(queue);
            for (String processing : broker.redis().keys(queue + ":processing:*")) {
                unfinished += broker.redis().llen(processing);
            }
            return unfinished;
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    private static Setup setup(SlackSimulator slack, EmbeddedRedis redis, String lease, URI backend) {
        String id = "RC" + RUNS.incrementAndGet();
        App app = slack.app("A" + id).appToken("xapp-1-A" + id + "-secret");
        Workspace ws = slack.workspace("T" + id);
        Bot bot = app.install(ws, "xoxb-" + id + "-secret", "UB" + id);
        TestBroker broker = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("crash" + id))
                .start();
        broker.addInstallation(app.id(), bot);
        broker.client()
                .registerApp(AppRegistration.socketMode(app.id(), "xapp-1-A" + id + "-secret")
                        .withConnections(1));
        await().atMost(WAIT).until(() -> app.openConnections() == 1);

        // Fleet mode: no SLACK_* tokens, the broker's Redis and keys.
        RelaxConfig config = broker.config();
        Map<String, String> env = new HashMap<>();
        env.put("BACKEND_URL", backend.toString());
        env.put("REDIS_URL", redis.uri().toString());
        env.put("RELAX_BOTS_KEY", config.botsKey());
        env.put("RELAX_BOTS_PUBSUB", config.botsPubsub());
        env.put("RELAX_EVENTS_QUEUE", config.eventsQueue());
        env.put("RELAX_MUTEX_KEY", config.mutexKey());
        env.put("RELAX_APPS_KEY", config.appsKey());
        env.put("RELAX_INSTALLATIONS_KEY", config.installationsKey());
        env.put("RELAX_CALLS_KEY", config.callsKey());
        env.put("RELAY_LEASE", lease);
        env.put("RELAY_FLUSH_INTERVAL", "300ms");
        env.put("RELAX_LOG_LEVEL", "debug");
        return new Setup(app, ws, bot, ws.user("UA" + id, "alice"), ws.channel("C" + id, "general"), broker, env);
    }

    /** Starts a relay process and waits until it consumes the events queue. */
    private RelayJar startRelay(Setup s) throws IOException {
        RelayJar relay = RelayJar.start(s.env(), logs);
        relays.add(relay);
        await().atMost(WAIT)
                .until(() -> relay.stdout().contains("relay started: mode=fleet")
                        || !relay.process().isAlive());
        assertThat(relay.process().isAlive()).as(relay.output()).isTrue();
        return relay;
    }

    @Test
    void anAnswerCutOffBySigkillIsCompletedOnceByAnotherInstanceInTheSameMessage(
            SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        // The first instance's answer goes no further than the test lets it: one chunk, a second once Slack
        // shows the first, then silence until the instance is killed. The second instance gets it whole.
        CountDownLatch secondChunk = new CountDownLatch(1);
        List<String> asked = new CopyOnWriteArrayList<>();
        String answer = String.join("", CHUNKS);
        try (ScriptedBackend backend = new ScriptedBackend((exchange, call) -> {
                    asked.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                    ScriptedBackend.startStream(exchange);
                    if (call > 1) {
                        for (String chunk : CHUNKS) {
                            ScriptedBackend.chunk(exchange, chunk);
                        }
                        ScriptedBackend.done(exchange);
                        return;
                    }
                    ScriptedBackend.chunk(exchange, CHUNKS.get(0));
                    try {
                        secondChunk.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    ScriptedBackend.chunk(exchange, CHUNKS.get(1));
                    ScriptedBackend.of(exchange).stall();
                });
                // Short: the second instance takes the question over 2 s after the first stopped renewing.
                Setup s = setup(slack, redis, "2s", backend.url())) {
            RelayJar first = startRelay(s);
            String question = s.ws().as(s.alice()).mention(s.bot(), s.general(), QUESTION);
            String keys = s.claimKeys(question);

            // Mid-stream: started, appended to, and its ts kept for a takeover.
            await().atMost(WAIT).until(() -> stream(slack, s, question).isPresent());
            secondChunk.countDown();
            await().atMost(WAIT)
                    .until(() -> stream(slack, s, question)
                                    .filter(m -> m.chunks().size() >= 2)
                                    .isPresent()
                            && s.broker().redis().get(keys + "message") != null);
            StreamedMessage cut = stream(slack, s, question).orElseThrow();
            first.kill();

            assertThat(first.process().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
            assertThat(cut.stopped()).isFalse();
            assertThat(answer).startsWith(cut.text()).isNotEqualTo(cut.text());
            assertThat(s.broker().redis().get(keys + "message")).isEqualTo(cut.ts());
            assertThat(asked).hasSize(1);

            RelayJar second = startRelay(s);
            await().atMost(WAIT).until(() -> "1".equals(s.broker().redis().get(keys + "answered")));

            assertThat(s.answers()).as(second.output()).singleElement().satisfies(m -> {
                assertThat(m.ts()).isEqualTo(cut.ts());
                assertThat(m.threadTs()).isEqualTo(question);
                assertThat(m.text()).isEqualTo(answer);
            });
            assertThat(slack.recordings().streams())
                    .filteredOn(m -> m.threadTs().equals(question))
                    .extracting(StreamedMessage::ts)
                    .containsExactly(cut.ts());
            assertThat(asked).hasSize(2);
            assertThat(asked.get(0)).startsWith("Ev").isEqualTo(asked.get(1));
            assertThat(s.broker().redis().exists(keys + "claim", keys + "message"))
                    .isZero();
            String id = s.questionId(question);
            assertThat(second.stdout())
                    .contains("question " + id + " was cut off mid-answer by a relay instance that stopped: asking"
                            + " the backend again and rewriting its message ts=" + cut.ts())
                    .doesNotContain("-secret");
        }
    }

    @Test
    void aQuestionDeliveredTwiceToTwoInstancesIsAnsweredOnce(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        // Long enough that a loaded machine stalling the answering process does not let its lease lapse (the
        // other would take the question over: one answer still, but asked twice).
        try (SampleBackend backend = SampleBackend.builder()
                        .chunkDelay(Duration.ofMillis(150))
                        .start();
                Setup s = setup(slack, redis, "10s", backend.url())) {
            RelayJar one = startRelay(s);
            RelayJar two = startRelay(s);
            String question = s.ws().as(s.alice()).mention(s.bot(), s.general(), QUESTION);
            String keys = s.claimKeys(question);
            await().atMost(WAIT).until(() -> backend.requests().size() == 1);

            // The same message again while it is being answered, as a consumer that crashed would hand it back.
            String queue = s.broker().config().eventsQueue();
            s.broker()
                    .redis()
                    .rpush(
                            queue,
                            RelaxJson.encodeEvent(WireEvent.builder("message_new")
                                    .teamUid(s.ws().id())
                                    .channelUid(s.general().id())
                                    .userUid(s.alice().id())
                                    .relaxBotUid(s.bot().userId())
                                    .text("<@" + s.bot().userId() + "> " + QUESTION)
                                    .timestamp(question)
                                    .extraJson("relax_app_id", "\"" + s.app().id() + "\"")
                                    .build()));

            String id = s.questionId(question);
            String dropped = "question " + id + " not answered here";
            await().atMost(WAIT)
                    .until(() -> "1".equals(s.broker().redis().get(keys + "answered"))
                            && (one.stdout() + two.stdout()).contains(dropped));

            assertThat(s.answers()).singleElement().satisfies(m -> {
                assertThat(m.threadTs()).isEqualTo(question);
                assertThat(m.text()).isEqualTo(SampleBackend.answerTo(QUESTION));
            });
            assertThat(backend.requests()).hasSize(1);
            assertThat(countOf(one.stdout() + two.stdout(), dropped)).isEqualTo(1);
            // The bot's own answer comes back as events too: wait until the relays have taken every event and
            // acknowledged it, both deliveries of the question included.
            await().atMost(WAIT).until(() -> s.unfinishedEvents() == 0);
        }
    }

    /** The stream the bot started in the question's thread, if any. */
    private static Optional<StreamedMessage> stream(SlackSimulator slack, Setup s, String question) {
        return slack.recordings().streams().stream()
                .filter(m ->
                        m.channel().equals(s.general().id()) && m.threadTs().equals(question))
                .findFirst();
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
