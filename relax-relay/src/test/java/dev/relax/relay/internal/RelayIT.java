/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.client.CallResult;
import dev.relax.client.WebApiCall;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.examples.relay.RecordedRequest;
import dev.relax.examples.relay.SampleBackend;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.ThreadStatus;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay end to end: a user asks in the simulator, a Socket Mode app's broker puts the event on the
 * queue, the relay asks a loopback backend and the answer appears in the question's thread.
 */
class RelayIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private record Setup(String id, App app, Workspace ws, Bot bot, User alice, Channel general, TestBroker broker)
            implements AutoCloseable {
        List<ChannelMessage> answers(Channel channel) {
            return ws.history(channel).stream()
                    .filter(m -> m.user().equals(bot.userId()))
                    .toList();
        }

        List<ApiCall> calls(SlackSimulator slack, String method) {
            return slack.recordings().apiCalls(method).stream()
                    .filter(c -> c.token().reveal().equals("xoxb-" + id))
                    .toList();
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

    private static Setup setup(SlackSimulator slack, EmbeddedRedis redis) {
        String id = "RL" + RUNS.incrementAndGet();
        App app = slack.app("A" + id).appToken("xapp-1-A" + id + "-secret");
        Workspace ws = slack.workspace("T" + id);
        Bot bot = app.install(ws, "xoxb-" + id, "UB" + id);
        TestBroker broker = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("relay" + id))
                .start();
        broker.addInstallation(app.id(), bot);
        broker.client()
                .registerApp(AppRegistration.socketMode(app.id(), "xapp-1-A" + id + "-secret")
                        .withConnections(1));
        await().atMost(WAIT).until(() -> app.openConnections() == 1);
        return new Setup(id, app, ws, bot, ws.user("UA" + id, "alice"), ws.channel("C" + id, "general"), broker);
    }

    private static RelaySettings settings(URI backend) {
        return RelaySettings.defaults(BackendSettings.builder(backend)
                        .retries(
                                BackendSettings.DEFAULT_MAX_ATTEMPTS,
                                new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)))
                        .build())
                .withLease(Duration.ofSeconds(2));
    }

    private static SampleBackend sample() {
        return SampleBackend.builder().chunkDelay(Duration.ofMillis(5)).start();
    }

    @Test
    void aMentionIsAnsweredInItsThreadStreamedWithTheMentionStripped(SlackSimulator slack, EmbeddedRedis redis) {
        try (Setup s = setup(slack, redis);
                SampleBackend backend = sample();
                Relay relay = Relay.start(s.broker().client(), settings(backend.url()))) {
            String question = s.ws().as(s.alice()).mention(s.bot(), s.general(), "what is the deploy status?");
            String answer = SampleBackend.answerTo("what is the deploy status?");

            await().atMost(WAIT)
                    .until(() -> s.answers(s.general()).size() == 1
                            && s.answers(s.general()).get(0).text().equals(answer));
            assertThat(s.answers(s.general()).get(0).threadTs()).isEqualTo(question);
            RecordedRequest request = backend.requests().get(0);
            assertThat(request.question().text()).isEqualTo("what is the deploy status?");
            assertThat(request.body())
                    .contains(
                            "\"team_id\":\"" + s.ws().id() + "\"",
                            "\"channel\":\"" + s.general().id() + "\"")
                    .contains("\"user\":\"" + s.alice().id() + "\"", "\"thread_ts\":\"" + question + "\"")
                    .contains("\"app_id\":\"" + s.app().id() + "\"", "\"is_dm\":false");
            assertThat(request.header("Idempotency-Key")).startsWith("Ev");
            assertThat(request.body()).contains("\"event_id\":\"" + request.header("Idempotency-Key") + "\"");
            assertThat(s.calls(slack, "chat.startStream")).hasSize(1);
            assertThat(s.calls(slack, "chat.stopStream")).hasSize(1);
            assertThat(s.calls(slack, "chat.postMessage")).isEmpty();
            // Buffered: fewer appends than the backend's chunks (one per word).
            assertThat(s.calls(slack, "chat.appendStream").size())
                    .isLessThan(SampleBackend.chunksOf(answer).size() - 2);
            assertThat(slack.recordings().threadStatuses(s.general().id(), question))
                    .extracting(ThreadStatus::status)
                    .containsExactly("is thinking…");
            assertThat(slack.recordings().threadStatus(s.general().id(), question))
                    .isEmpty();
        }
    }

    @Test
    void aDirectMessageGetsAJsonAnswerAsOneMessageWithBroadcastsNeutralised(SlackSimulator slack, EmbeddedRedis redis) {
        try (Setup s = setup(slack, redis);
                ScriptedBackend backend = new ScriptedBackend((exchange, call) -> ScriptedBackend.send(
                        exchange, 200, "application/json", "{\"text\":\"<!here> all good, <@U1> knows more.\"}"));
                Relay relay = Relay.start(s.broker().client(), settings(backend.url()))) {
            Channel dm = s.ws().im(s.alice(), s.bot());
            String question = s.ws().as(s.alice()).post(dm, "is staging up?");

            await().atMost(WAIT).until(() -> s.answers(dm).size() == 1);
            assertThat(s.answers(dm)).singleElement().satisfies(m -> {
                assertThat(m.text()).isEqualTo("@here all good, <@U1> knows more.");
                assertThat(m.threadTs()).isEqualTo(question);
            });
            assertThat(s.calls(slack, "chat.postMessage")).hasSize(1);
            assertThat(s.calls(slack, "chat.startStream")).isEmpty();
            assertThat(backend.calls()).isEqualTo(1);
        }
    }

    @Test
    void aReplyInAThreadTheBotAnsweredIsAQuestionOtherRepliesAreNot(SlackSimulator slack, EmbeddedRedis redis) {
        try (Setup s = setup(slack, redis);
                SampleBackend backend = sample();
                Relay relay = Relay.start(s.broker().client(), settings(backend.url()))) {
            String thread = s.ws().as(s.alice()).mention(s.bot(), s.general(), "first question");
            await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
            String other = s.ws().as(s.alice()).post(s.general(), "lunch anyone?");

            s.ws().as(s.alice()).reply(s.general(), other, "me!");
            s.ws().as(s.alice()).reply(s.general(), thread, "and a follow-up");

            String followUp = SampleBackend.answerTo("and a follow-up");
            await().atMost(WAIT)
                    .until(() -> s.answers(s.general()).size() == 2
                            && s.answers(s.general()).get(1).text().equals(followUp));
            assertThat(s.answers(s.general()).get(1).threadTs()).isEqualTo(thread);
            await().during(Duration.ofMillis(500))
                    .atMost(WAIT)
                    .until(() -> backend.requests().size() == 2);
            assertThat(backend.requests())
                    .extracting(r -> r.question().text())
                    .containsExactly("first question", "and a follow-up");
        }
    }

    @Test
    void withThreadContextTheBackendGetsTheThreadsEarlierMessages(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        try (Setup s = setup(slack, redis);
                SampleBackend backend = sample();
                Relay relay =
                        Relay.start(s.broker().client(), settings(backend.url()).withThreadContext(true))) {
            String thread = s.ws().as(s.alice()).mention(s.bot(), s.general(), "first question");
            await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
            String answerTs = s.answers(s.general()).get(0).ts();

            String followUp = s.ws().as(s.alice()).reply(s.general(), thread, "and then?");

            await().atMost(WAIT).until(() -> relay.questionsDone() == 2);
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            assertThat(json.readTree(backend.requests().get(0).body()).path("thread"))
                    .isEmpty();
            com.fasterxml.jackson.databind.JsonNode context =
                    json.readTree(backend.requests().get(1).body()).path("thread");
            assertThat(context.toString())
                    .isEqualTo("[{\"user\":\"" + s.alice().id() + "\",\"text\":\"<@"
                            + s.bot().userId()
                            + "> first question\",\"ts\":\"" + thread + "\",\"bot\":false},"
                            + "{\"user\":\"" + s.bot().userId() + "\",\"text\":\""
                            + SampleBackend.answerTo("first question") + "\",\"ts\":\"" + answerTs
                            + "\",\"bot\":true}]");
            assertThat(followUp).isNotEqualTo(answerTs);
        }
    }

    @Test
    void anotherBotsReplyInAnAnsweredThreadIsNoQuestion(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (Setup s = setup(slack, redis);
                SampleBackend backend = sample();
                Relay relay = Relay.start(s.broker().client(), settings(backend.url()))) {
            Bot other = slack.app("AOTHER" + s.id()).install(s.ws(), "xoxb-other-" + s.id(), "UOTHER" + s.id());
            s.broker().addInstallation("AOTHER" + s.id(), other);
            String thread = s.ws().as(s.alice()).mention(s.bot(), s.general(), "first question");
            await().atMost(WAIT).until(() -> relay.questionsDone() == 1);

            // Another app's bot answers in the thread too; left alone, the two bots would answer each other.
            CallResult posted = s.broker()
                    .client()
                    .call(WebApiCall.postMessage(
                                    "AOTHER" + s.id(), s.ws().id(), s.general().id())
                            .text("I know better")
                            .threadTs(thread)
                            .build())
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(posted.ok()).as(posted.toString()).isTrue();
            s.ws().as(s.alice()).reply(s.general(), thread, "and you?");

            await().atMost(WAIT).until(() -> relay.questionsDone() == 2);
            assertThat(backend.requests())
                    .extracting(r -> r.question().text())
                    .containsExactly("first question", "and you?");
        }
    }

    @Test
    void aQuestionDeliveredTwiceIsAnsweredOnce(SlackSimulator slack, EmbeddedRedis redis) {
        try (Setup s = setup(slack, redis);
                SampleBackend backend = sample();
                Relay relay = Relay.start(s.broker().client(), settings(backend.url()))) {
            String question = s.ws().as(s.alice()).mention(s.bot(), s.general(), "once please");
            await().atMost(WAIT).until(() -> s.answers(s.general()).size() == 1 && relay.questionsDone() == 1);

            // The same message again, as a consumer that crashed after the answer would hand it back.
            s.broker()
                    .redis()
                    .rpush(
                            s.broker().config().eventsQueue(),
                            RelaxJson.encodeEvent(WireEvent.builder("message_new")
                                    .teamUid(s.ws().id())
                                    .channelUid(s.general().id())
                                    .userUid(s.alice().id())
                                    .relaxBotUid(s.bot().userId())
                                    .text("<@" + s.bot().userId() + "> once please")
                                    .timestamp(question)
                                    .extraJson("relax_app_id", "\"" + s.app().id() + "\"")
                                    .build()));

            await().atMost(WAIT).until(() -> relay.questionsDone() == 2);
            assertThat(backend.requests()).hasSize(1);
            assertThat(s.answers(s.general())).hasSize(1);
        }
    }

    @Test
    void anAnswerCutOffByAStoppedInstanceIsCompletedInItsOwnMessage(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        try (Setup s = setup(slack, redis);
                SampleBackend backend = sample()) {
            String question = s.ws().as(s.alice()).mention(s.bot(), s.general(), "finish this");
            // What a killed instance left: a stream with half an answer, and its lease on the question.
            CallResult started = s.broker()
                    .client()
                    .call(new WebApiCall(
                            s.app().id(),
                            s.ws().id(),
                            "chat.startStream",
                            s.general().id(),
                            Map.of(
                                    "thread_ts",
                                    question,
                                    "markdown_text",
                                    "You asked: fin",
                                    "recipient_user_id",
                                    s.alice().id(),
                                    "recipient_team_id",
                                    s.ws().id())))
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(started.ok()).as(started.toString()).isTrue();
            String id = s.app().id() + ":" + s.ws().id() + ":" + s.general().id() + ":" + question;
            String keys = s.broker().config().eventsQueue() + ":relay:{" + id + "}:";
            s.broker().redis().psetex(keys + "claim", 1500, "relay-killed");
            s.broker().redis().set(keys + "message", started.ts());

            try (Relay relay = Relay.start(s.broker().client(), settings(backend.url()))) {
                String answer = SampleBackend.answerTo("finish this");
                await().atMost(WAIT).until(() -> relay.questionsDone() == 1);

                assertThat(s.answers(s.general())).singleElement().satisfies(m -> {
                    assertThat(m.ts()).isEqualTo(started.ts());
                    assertThat(m.text()).isEqualTo(answer);
                    assertThat(m.threadTs()).isEqualTo(question);
                });
                assertThat(backend.requests()).hasSize(1);
                assertThat(s.broker().redis().exists(keys + "claim", keys + "message"))
                        .isZero();
                assertThat(s.broker().redis().get(keys + "answered")).isEqualTo("1");
            }
        }
    }

    @Test
    void anRtmBotsAnswerIsSentWholeAsAnRtmMessageInTheQuestionsThread(SlackSimulator slack, EmbeddedRedis redis) {
        String id = "RLRTM" + RUNS.incrementAndGet();
        Workspace ws = slack.workspace("T" + id);
        User alice = ws.user("UA" + id, "alice");
        Channel general = ws.channel("C" + id, "general");
        Bot bot = ws.bot("xoxb-" + id, "UB" + id, "relaxbot");
        try (TestBroker broker = TestBroker.builder(slack, redis)
                        .config(c -> c.keysWithPrefix("relay" + id))
                        .start();
                ScriptedBackend backend = new ScriptedBackend((exchange, call) ->
                        ScriptedBackend.send(exchange, 200, "application/json", "{\"text\":\"<!channel> all good\"}"));
                Relay relay = Relay.start(broker.client(), settings(backend.url()))) {
            broker.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);

            String question = ws.as(alice).mention(bot, general, "is prod up?");

            await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
            await().atMost(WAIT).until(() -> slack.recordings().connections(ws.id()).stream()
                    .anyMatch(c -> !c.sent("message").isEmpty()));
            List<com.fasterxml.jackson.databind.JsonNode> sent = slack.recordings().connections(ws.id()).stream()
                    .flatMap(c -> c.sent("message").stream())
                    .map(f -> f.json())
                    .toList();
            assertThat(sent).singleElement().satisfies(frame -> {
                assertThat(frame.path("channel").asText()).isEqualTo(general.id());
                assertThat(frame.path("text").asText()).isEqualTo("@channel all good");
                assertThat(frame.path("thread_ts").asText()).isEqualTo(question);
            });
            assertThat(backend.calls()).isEqualTo(1);
        }
    }

    @Test
    void aFailingBackendGetsOneFriendlyErrorPerQuestionThenTheBreakerStopsCallingIt(
            SlackSimulator slack, EmbeddedRedis redis) {
        try (Setup s = setup(slack, redis);
                SampleBackend backend = SampleBackend.builder().failWith(503).start();
                Relay relay = Relay.start(
                        s.broker().client(),
                        RelaySettings.defaults(BackendSettings.builder(backend.url())
                                        .retries(2, new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)))
                                        .breaker(2, Duration.ofMinutes(5))
                                        .build())
                                .withLease(Duration.ofSeconds(2)))) {
            s.ws().as(s.alice()).mention(s.bot(), s.general(), "are you there?");
            await().atMost(WAIT).until(() -> s.answers(s.general()).size() == 1);
            s.ws().as(s.alice()).mention(s.bot(), s.general(), "still there?");
            await().atMost(WAIT).until(() -> s.answers(s.general()).size() == 2);

            assertThat(s.answers(s.general()))
                    .extracting(ChannelMessage::text)
                    .containsExactly(Answerer.NO_ANSWER, Answerer.UNAVAILABLE);
            assertThat(backend.requests()).hasSize(2);
        }
    }

    @Test
    void aBackendThatHangsGetsTheUserOneErrorAfterItsTimeouts(SlackSimulator slack, EmbeddedRedis redis) {
        try (Setup s = setup(slack, redis);
                SampleBackend backend = SampleBackend.builder().hang().start();
                Relay relay = Relay.start(
                        s.broker().client(),
                        RelaySettings.defaults(BackendSettings.builder(backend.url())
                                        .timeouts(
                                                Duration.ofSeconds(2),
                                                // Room for a loaded machine to deliver each request in time.
                                                Duration.ofSeconds(1),
                                                Duration.ofMillis(500),
                                                Duration.ofSeconds(5))
                                        .retries(2, new Backoff(Duration.ofMillis(10), Duration.ofMillis(20)))
                                        .build())
                                .withLease(Duration.ofSeconds(2)))) {
            s.ws().as(s.alice()).mention(s.bot(), s.general(), "hello?");

            await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
            assertThat(s.answers(s.general())).extracting(ChannelMessage::text).containsExactly(Answerer.NO_ANSWER);
            // The relay gave up on the second attempt when its timeout passed, perhaps before the backend's
            // thread recorded that request: wait for it. No third comes, the question is done.
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(backend.requests()).hasSize(2));
        }
    }

    @Test
    void aStreamCutHalfWayKeepsWhatCameAndApologises(SlackSimulator slack, EmbeddedRedis redis) {
        try (Setup s = setup(slack, redis);
                SampleBackend backend = SampleBackend.builder()
                        .chunkDelay(Duration.ofMillis(5))
                        .cutAfter(3)
                        .start();
                Relay relay = Relay.start(s.broker().client(), settings(backend.url()))) {
            s.ws().as(s.alice()).mention(s.bot(), s.general(), "tell me everything");

            await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
            String firstThree = String.join(
                    "",
                    SampleBackend.chunksOf(SampleBackend.answerTo("tell me everything"))
                            .subList(0, 3));
            assertThat(s.answers(s.general()))
                    .extracting(ChannelMessage::text)
                    .containsExactly(firstThree, Answerer.CUT_OFF);
            assertThat(backend.requests()).hasSize(1);
        }
    }

    @Test
    void anAnswerSlackRefusesIsGivenUpOnceAndTheNextQuestionIsAnswered(SlackSimulator slack, EmbeddedRedis redis) {
        try (Setup s = setup(slack, redis);
                ScriptedBackend backend = new ScriptedBackend((exchange, call) ->
                        ScriptedBackend.send(exchange, 200, "application/json", "{\"text\":\"answer " + call + "\"}"));
                Relay relay = Relay.start(s.broker().client(), settings(backend.url()))) {
            // A question from a channel Slack no longer knows (deleted meanwhile): every call answers
            // channel_not_found (https://api.slack.com/methods/chat.postMessage, errors).
            s.broker()
                    .redis()
                    .rpush(
                            s.broker().config().eventsQueue(),
                            RelaxJson.encodeEvent(WireEvent.builder("message_new")
                                    .teamUid(s.ws().id())
                                    .channelUid("CGONE" + s.id())
                                    .userUid(s.alice().id())
                                    .relaxBotUid(s.bot().userId())
                                    .text("<@" + s.bot().userId() + "> anyone?")
                                    .timestamp("1700000000.000100")
                                    .extraJson("relax_app_id", "\"" + s.app().id() + "\"")
                                    .build()));
            await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
            s.ws().as(s.alice()).mention(s.bot(), s.general(), "and here?");

            await().atMost(WAIT).until(() -> relay.questionsDone() == 2);
            assertThat(s.answers(s.general())).extracting(ChannelMessage::text).containsExactly("answer 2");
            assertThat(s.calls(slack, "chat.postMessage"))
                    .extracting(ApiCall::error)
                    .containsExactly("channel_not_found", "");
            assertThat(backend.calls()).isEqualTo(2);
        }
    }

    @Test
    void aRefusalOfTheBackendIsShownToTheUser(SlackSimulator slack, EmbeddedRedis redis) {
        try (Setup s = setup(slack, redis);
                ScriptedBackend backend = new ScriptedBackend((exchange, call) -> ScriptedBackend.send(
                        exchange, 403, "application/json", "{\"message\":\"You may not ask about payroll.\"}"));
                Relay relay = Relay.start(s.broker().client(), settings(backend.url()))) {
            s.ws().as(s.alice()).mention(s.bot(), s.general(), "what does bob earn?");

            await().atMost(WAIT).until(() -> s.answers(s.general()).size() == 1);
            assertThat(s.answers(s.general()).get(0).text()).isEqualTo("You may not ask about payroll.");
            assertThat(backend.calls()).isEqualTo(1);
        }
    }

    @Test
    void questionsOfOneConversationWaitForTheAnswerBeforeThemOthersDoNot(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> asked = new CopyOnWriteArrayList<>();
        try (Setup s = setup(slack, redis);
                ScriptedBackend backend = new ScriptedBackend((exchange, call) -> {
                    asked.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                    try {
                        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ScriptedBackend.send(exchange, 200, "application/json", "{\"text\":\"answer " + call + "\"}");
                });
                Relay relay = Relay.start(s.broker().client(), settings(backend.url()))) {
            Channel random = s.ws().channel("CR" + s.id(), "random");
            String first = s.ws().as(s.alice()).mention(s.bot(), s.general(), "first");
            await().atMost(WAIT).until(() -> asked.size() == 1);
            s.ws().as(s.alice()).reply(s.general(), first, "<@" + s.bot().userId() + "> second, same thread");
            s.ws().as(s.alice()).mention(s.bot(), random, "elsewhere");

            // The other channel's question is asked at once; the follow-up waits for the first answer.
            await().atMost(WAIT).until(() -> asked.size() == 2);
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> asked.size() == 2);
            release.countDown();

            await().atMost(WAIT)
                    .until(() -> s.answers(s.general()).size() == 2
                            && s.answers(random).size() == 1);
            List<ChannelMessage> inThread = s.answers(s.general());
            assertThat(inThread).extracting(ChannelMessage::threadTs).containsOnly(first);
            assertThat(inThread).extracting(ChannelMessage::text).containsExactly("answer 1", "answer 3");
            assertThat(s.answers(random)).extracting(ChannelMessage::text).containsExactly("answer 2");
        }
    }

    @Test
    void whileEveryWorkerIsBusyQuestionsWaitInRedis(SlackSimulator slack, EmbeddedRedis redis) {
        CountDownLatch release = new CountDownLatch(1);
        try (Setup s = setup(slack, redis);
                ScriptedBackend backend = new ScriptedBackend((exchange, call) -> {
                    try {
                        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ScriptedBackend.send(exchange, 200, "application/json", "{\"text\":\"done\"}");
                });
                Relay relay =
                        Relay.start(s.broker().client(), settings(backend.url()).withConcurrency(1))) {
            Channel random = s.ws().channel("CR" + s.id(), "random");
            s.ws().as(s.alice()).mention(s.bot(), s.general(), "first");
            await().atMost(WAIT).until(() -> backend.calls() == 1);
            s.ws().as(s.alice()).mention(s.bot(), random, "second");

            String queue = s.broker().config().eventsQueue();
            await().atMost(WAIT).until(() -> s.broker().redis().llen(queue) == 1);
            await().during(Duration.ofMillis(500))
                    .atMost(WAIT)
                    .until(() -> s.broker().redis().llen(queue) == 1 && backend.calls() == 1);
            release.countDown();

            await().atMost(WAIT).until(() -> s.answers(random).size() == 1);
            assertThat(s.answers(random)).extracting(ChannelMessage::text).containsExactly("done");
            // The bot's own answers come back as events too: wait until the relay has taken every event and
            // acknowledged it (none left in a consumer's processing list), the waiting question included.
            await().atMost(WAIT).until(() -> s.unfinishedEvents() == 0);
            assertThat(backend.calls()).isEqualTo(2);
        }
    }
}
