/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.testkit.ApiCall;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Answers written through a real broker into the simulator: what a user sees in the question's thread,
 * and how many Web API calls it took. The writer's clock only moves when a test moves it, so the calls are
 * the same on every run.
 */
class AnswerWriterIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private record Setup(Workspace ws, Channel channel, Bot bot, User alice, String appId, String token) {}

    private static Setup setup(SlackSimulator slack) {
        String id = "AW" + RUNS.incrementAndGet();
        Workspace ws = slack.workspace("T" + id);
        Bot bot = slack.app("A" + id).appToken("xapp-1-A" + id + "-secret").install(ws, "xoxb-" + id, "UB" + id);
        return new Setup(ws, ws.channel("C" + id, "general"), bot, ws.user("UA" + id, "alice"), "A" + id, "xoxb-" + id);
    }

    private static TestBroker broker(SlackSimulator slack, EmbeddedRedis redis, Setup s) {
        TestBroker broker = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("aw" + s.appId()))
                .start();
        broker.addInstallation(s.appId(), s.bot());
        return broker;
    }

    private static List<ChannelMessage> botMessages(Setup s) {
        return s.ws().history(s.channel()).stream()
                .filter(m -> m.user().equals(s.bot().userId()))
                .toList();
    }

    /** The Web API calls of {@code method} this test's bot made. */
    private static List<ApiCall> calls(SlackSimulator slack, String method, Setup s) {
        return slack.recordings().apiCalls(method).stream()
                .filter(c -> c.token().reveal().equals(s.token()))
                .toList();
    }

    @Test
    void aStreamedAnswerGrowsInTheQuestionsThreadInBufferedAppends(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        Setup s = setup(slack);
        String question = s.ws().as(s.alice()).mention(s.bot(), s.channel(), "what is the deploy status?");
        MutableClock clock = new MutableClock();
        try (TestBroker broker = broker(slack, redis, s);
                ExecutorService callbacks = Executors.newSingleThreadExecutor()) {
            AnswerWriter writer = new AnswerWriter(
                    new AnswerTarget(
                            s.appId(),
                            s.ws().id(),
                            s.channel().id(),
                            question,
                            s.alice().id()),
                    SlackCalls.of(broker.client(), callbacks),
                    AnswerSettings.defaults(),
                    clock);
            writer.begin(true);

            // 250 chunks of 5 characters, in three bursts: the first starts the stream, each further 500
            // characters are one append, the last 245 go with the stop.
            for (int i = 0; i < 101; i++) {
                writer.append("abcd ");
            }
            await().atMost(WAIT)
                    .until(() -> calls(slack, "chat.appendStream", s).size() == 1);
            for (int i = 0; i < 100; i++) {
                writer.append("abcd ");
            }
            await().atMost(WAIT)
                    .until(() -> calls(slack, "chat.appendStream", s).size() == 2);
            for (int i = 0; i < 49; i++) {
                writer.append("abcd ");
            }
            writer.finish();

            assertThat(writer.done().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            String answer = "abcd ".repeat(250);
            StreamedMessage stream = slack.recordings().streams().stream()
                    .filter(m -> m.teamId().equals(s.ws().id()))
                    .findFirst()
                    .orElseThrow();
            assertThat(stream.threadTs()).isEqualTo(question);
            assertThat(stream.stopped()).isTrue();
            assertThat(stream.text()).isEqualTo(answer);
            assertThat(stream.chunks())
                    .containsExactly("abcd ", "abcd ".repeat(100), "abcd ".repeat(100), "abcd ".repeat(49));
            assertThat(botMessages(s)).singleElement().satisfies(m -> {
                assertThat(m.text()).isEqualTo(answer);
                assertThat(m.threadTs()).isEqualTo(question);
            });
            assertThat(calls(slack, "chat.startStream", s)).hasSize(1);
            assertThat(calls(slack, "chat.stopStream", s)).hasSize(1);
            assertThat(calls(slack, "chat.postMessage", s)).isEmpty();
        }
    }

    @Test
    void whenSlackRefusesTheStreamTheAnswerIsPostedAndUpdated(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        Setup s = setup(slack);
        String question = s.ws().as(s.alice()).mention(s.bot(), s.channel(), "status?");
        MutableClock clock = new MutableClock();
        try (TestBroker broker = broker(slack, redis, s);
                ExecutorService callbacks = Executors.newSingleThreadExecutor()) {
            slack.serverErrors("chat.startStream", 1);
            AnswerWriter writer = new AnswerWriter(
                    new AnswerTarget(
                            s.appId(),
                            s.ws().id(),
                            s.channel().id(),
                            question,
                            s.alice().id()),
                    SlackCalls.of(broker.client(), callbacks),
                    AnswerSettings.defaults(),
                    clock);
            writer.begin(true);

            writer.append("Hello ");
            await().atMost(WAIT).until(() -> botMessages(s).size() == 1);
            writer.append("<!channel> ");
            writer.append("world");
            clock.advance(Duration.ofSeconds(1));
            writer.tick();
            await().atMost(WAIT).until(() -> calls(slack, "chat.update", s).size() == 1);
            writer.append("!");
            writer.finish();

            assertThat(writer.done().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(botMessages(s)).singleElement().satisfies(m -> {
                assertThat(m.text()).isEqualTo("Hello @channel world!");
                assertThat(m.threadTs()).isEqualTo(question);
            });
            assertThat(calls(slack, "chat.update", s).stream().map(c -> c.arg("text")))
                    .containsExactly("Hello @channel world", "Hello @channel world!");
            assertThat(calls(slack, "chat.startStream", s).stream().map(ApiCall::error))
                    .containsExactly("internal_error");
            assertThat(calls(slack, "chat.postMessage", s)).hasSize(1);
            assertThat(slack.recordings().streams()).noneMatch(m -> m.teamId().equals(s.ws().id()));
        }
    }
}
