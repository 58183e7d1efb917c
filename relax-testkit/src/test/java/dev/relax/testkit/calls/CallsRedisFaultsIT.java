/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.relax.client.CallResult;
import dev.relax.client.RelaxClient;
import dev.relax.client.SlackCall;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TcpProxy;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.Workspace;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The calls stream while Redis stalls or is out of one broker's reach (its commands time out after 5 s): a
 * call that never left is not taken for one that may have, a call goes to Slack only from the broker that
 * holds it, and one id never gets two results.
 */
class CallsRedisFaultsIT {
    @RegisterExtension
    final SlackSimulatorExtension slack = SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(40);

    /**
     * Redis stalls (CLIENT PAUSE, longer than the broker's command timeout) while a post waits for its
     * channel's pace: the gate script that would let it go, and record its attempt, answers too late. The
     * broker knows the post never left, tries the gate again, and posts it once.
     */
    @Test
    void postWhoseGateAnsweredTooLateIsPostedOnceNotEndedAsUnknown(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TRF1");
        Channel general = ws.channel("CRF1", "general");
        Bot bot = sim.app("ARF1").install(ws, "xoxb-rf1", "URF1");
        try (TestBroker broker = TestBroker.start(sim, redis)) {
            broker.addInstallation("ARF1", bot);
            String calls = broker.config().callsKey();
            // The post waits 3 s for its pace, then asks the gate again: Redis is paused by then.
            redis.commands().set(calls + ":pace:TRF1:chat.postMessage:CRF1", "1", SetArgs.Builder.px(3_000));
            SlackCall post = broker.client().postMessage("ARF1", "TRF1", general.id(), "once");
            await().atMost(WAIT)
                    .until(() ->
                            redis.commands().xpending(calls, "relax-brokers").getCount() == 1);

            redis.commands().clientPause(10_000);

            CallResult result = post.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(List.of(result.ok(), result.error(), result.attempts()))
                    .as(result.toString())
                    .containsExactly(true, "", 1);
            assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("once");
            assertThat(sim.recordings().apiCalls("chat.postMessage")).hasSize(1);
        }
    }

    /**
     * As above, but the broker stops while it is still asking the gate: it gives the post up before it
     * left, and puts back the attempt record the unanswered gate wrote, so that the broker that takes the
     * post over makes it rather than end it with outcome_unknown.
     */
    @Test
    void postGivenUpWhileItsGateWasUnansweredIsPostedByTheNextBroker(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TRF4");
        Channel general = ws.channel("CRF4", "general");
        Bot bot = sim.app("ARF4").install(ws, "xoxb-rf4", "URF4");
        ListAppender<ILoggingEvent> lines = listen();
        try {
            TestBroker first = broker(sim, redis, "unanswered4", redis.port());
            String calls = first.config().callsKey();
            try (TestBroker closedFirst = first;
                    RelaxClient relax = RelaxClient.create(first.config())) {
                first.addInstallation("ARF4", bot);
                redis.commands().set(calls + ":pace:TRF4:chat.postMessage:CRF4", "1", SetArgs.Builder.px(3_000));
                SlackCall post = relax.postMessage("ARF4", "TRF4", general.id(), "once");
                await().atMost(WAIT)
                        .until(() -> redis.commands()
                                        .xpending(calls, "relax-brokers")
                                        .getCount()
                                == 1);

                redis.commands().clientPause(10_000);
                await().atMost(WAIT).until(() -> lines.list.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .anyMatch(m -> m.contains(post.id()) && m.contains("did not answer whether it may go")));
                closedFirst.close();

                try (TestBroker next = broker(sim, redis, "unanswered4", redis.port())) {
                    CallResult result = post.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertThat(List.of(result.ok(), result.error(), result.attempts()))
                            .as(result.toString())
                            .containsExactly(true, "", 1);
                    assertThat(ws.history(general))
                            .extracting(ChannelMessage::text)
                            .containsExactly("once");
                    assertThat(sim.recordings().apiCalls("chat.postMessage")).hasSize(1);
                }
            }
        } finally {
            stopListening(lines);
        }
    }

    /**
     * Broker A loses Redis (black-holed) after Slack took its post and before it could store the result;
     * broker B takes the entry over and, finding the attempt record, ends it with outcome_unknown. When
     * Redis comes back, A's result does not overwrite B's, and nothing is published twice: the first
     * result stored is the call's result, in the key and on the channel alike.
     */
    @Test
    void callTakenOverDuringARedisOutageGetsExactlyOneResult(SlackSimulator sim, EmbeddedRedis redis) throws Exception {
        Workspace ws = sim.workspace("TRF2");
        Channel general = ws.channel("CRF2", "general");
        Bot bot = sim.app("ARF2").install(ws, "xoxb-rf2", "URF2");
        ListAppender<ILoggingEvent> lines = listen();
        try (TcpProxy proxy = TcpProxy.start(redis.host(), redis.port());
                TestBroker a = broker(sim, redis, "outage2", proxy.port())) {
            RelaxConfig direct = direct(a.config(), redis);
            String calls = direct.callsKey();
            try (Published resultsChannel = new Published(redis, calls + ":results");
                    RelaxClient relax = RelaxClient.create(direct)) {
                relax.addInstallation(
                        Installation.of("ARF2", "TRF2", "URF2", bot.token().reveal()));
                List<String> published = resultsChannel.messages();
                sim.slowAnswers("chat.postMessage", Duration.ofSeconds(3));
                SlackCall post = relax.postMessage("ARF2", "TRF2", general.id(), "posted by A");
                await().atMost(WAIT)
                        .until(() ->
                                !sim.recordings().apiCalls("chat.postMessage").isEmpty());

                proxy.blackhole();
                try (TestBroker b = broker(sim, redis, "outage2", redis.port())) {
                    await().atMost(WAIT).until(() -> redis.commands().exists(calls + ":result:" + post.id()) == 1);
                    proxy.resume();
                    // A stores its answer once Redis is back: before the fix a second publish, after it a
                    // line that says the first result stands.
                    await().atMost(WAIT)
                            .until(() -> published.stream()
                                                    .filter(m -> m.contains(post.id()))
                                                    .count()
                                            > 1
                                    || lines.list.stream()
                                            .map(ILoggingEvent::getFormattedMessage)
                                            .anyMatch(m -> m.contains(post.id())
                                                    && m.contains("another broker stored its result first")));
                    redis.commands().publish(calls + ":results", "sentinel");
                    await().atMost(WAIT).until(() -> published.contains("sentinel"));

                    List<String> results = published.stream()
                            .filter(m -> m.contains(post.id()))
                            .toList();
                    assertThat(results).hasSize(1);
                    assertThat(redis.commands().get(calls + ":result:" + post.id()))
                            .isEqualTo(results.get(0));
                    CallResult result = post.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertThat(List.of(result.ok(), result.error())).containsExactly(false, "outcome_unknown");
                    assertThat(sim.recordings().apiCalls("chat.postMessage")).hasSize(1);
                }
            }
        } finally {
            stopListening(lines);
        }
    }

    /**
     * Broker A cannot reach Redis while its post waits for the channel's pace; broker B takes the entry
     * over and posts it. When Redis comes back, A's gate, asked again or answered late, does not let the
     * post go a second time, nor leave an attempt record behind.
     */
    @Test
    void callTakenOverWhileItsBrokerCannotReachRedisIsPostedOnce(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TRF3");
        Channel general = ws.channel("CRF3", "general");
        Bot bot = sim.app("ARF3").install(ws, "xoxb-rf3", "URF3");
        try (TcpProxy proxy = TcpProxy.start(redis.host(), redis.port())) {
            TestBroker a = broker(sim, redis, "outage3", proxy.port());
            try (TestBroker closedA = a;
                    RelaxClient relax = RelaxClient.create(direct(a.config(), redis))) {
                String calls = a.config().callsKey();
                String pace = calls + ":pace:TRF3:chat.postMessage:CRF3";
                relax.addInstallation(
                        Installation.of("ARF3", "TRF3", "URF3", bot.token().reveal()));
                redis.commands().set(pace, "1", SetArgs.Builder.px(4_000));
                SlackCall post = relax.postMessage("ARF3", "TRF3", general.id(), "once");
                await().atMost(WAIT)
                        .until(() -> redis.commands()
                                        .xpending(calls, "relax-brokers")
                                        .getCount()
                                == 1);

                proxy.blackhole();
                try (TestBroker b = broker(sim, redis, "outage3", redis.port())) {
                    CallResult result = post.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertThat(result.ok()).as(result.toString()).isTrue();
                    await().atMost(WAIT).until(() -> redis.commands().exists(pace) == 0);

                    proxy.resume();
                    closedA.close(); // its commands, those held by the proxy first, have all run by now

                    assertThat(sim.recordings().apiCalls("chat.postMessage"))
                            .filteredOn(ApiCall::ok)
                            .hasSize(1);
                    assertThat(ws.history(general))
                            .extracting(ChannelMessage::text)
                            .containsExactly("once");
                    assertThat(redis.commands().exists(calls + ":attempt:" + post.id()))
                            .as("no attempt record left behind")
                            .isZero();
                    assertThat(redis.commands().zcard(calls + ":lanes")).isZero();
                }
            }
        }
    }

    private static TestBroker broker(SlackSimulator sim, EmbeddedRedis redis, String prefix, int redisPort) {
        return TestBroker.builder(sim, redis)
                .config(c -> c.keysWithPrefix(prefix).redis(RedisAddress.of(redis.host(), redisPort)))
                .options(o -> o.shutdownTimeout(Duration.ofSeconds(30)))
                .start();
    }

    private static RelaxConfig direct(RelaxConfig config, EmbeddedRedis redis) {
        return config.mutate()
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .build();
    }

    private static ListAppender<ILoggingEvent> listen() {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        ((Logger) LoggerFactory.getLogger("dev.relax.broker.internal.calls")).addAppender(lines);
        return lines;
    }

    private static void stopListening(ListAppender<ILoggingEvent> lines) {
        ((Logger) LoggerFactory.getLogger("dev.relax.broker.internal.calls")).detachAppender(lines);
    }

    /** The messages published on a channel from the moment this subscribed, in order: a connection of its own. */
    private static final class Published implements AutoCloseable {
        private final RedisClient client;
        private final StatefulRedisPubSubConnection<String, String> pubsub;
        private final List<String> messages = new CopyOnWriteArrayList<>();

        Published(EmbeddedRedis redis, String channel) {
            client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
            pubsub = client.connectPubSub();
            pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String ch, String message) {
                    messages.add(message);
                }
            });
            pubsub.sync().subscribe(channel);
        }

        List<String> messages() {
            return messages;
        }

        @Override
        public void close() {
            pubsub.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
