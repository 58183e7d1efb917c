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
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.MetricsPage;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Web API calls of Slack apps: client → calls stream → broker → Slack, and the result back. */
class CallsIT {
    @RegisterExtension
    final SlackSimulatorExtension slack =
            SlackSimulatorExtension.create().withRedis().configure(b -> b.messageRatePerChannel(Duration.ofSeconds(1)));

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void postMessageReachesTheChannelAndTheResultCarriesSlacksTs(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TCA1");
        Channel general = ws.channel("CCA1", "general");
        Bot bot = sim.app("ACA1").install(ws, "xoxb-ca1-secret", "UCA1");
        try (TestBroker broker = TestBroker.start(sim, redis)) {
            broker.addInstallation("ACA1", bot);
            RelaxClient relax = broker.client();

            SlackCall call = relax.postMessage("ACA1", "TCA1", general.id(), "hello from an app");
            CallResult result = call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(result.ok()).as(result.toString()).isTrue();
            assertThat(result.id()).isEqualTo(call.id());
            assertThat(result.attempts()).isEqualTo(1);
            assertThat(ws.history(general)).singleElement().satisfies(m -> {
                assertThat(m.text()).isEqualTo("hello from an app");
                assertThat(m.user()).isEqualTo("UCA1");
                assertThat(m.ts()).isEqualTo(result.ts());
            });
            assertThat(relax.callResult(call.id())).contains(result);
            assertThat(broker.redis().xlen(broker.config().callsKey())).isZero();
            assertThat(sim.recordings()
                            .apiCalls("chat.postMessage")
                            .get(0)
                            .token()
                            .reveal())
                    .isEqualTo("xoxb-ca1-secret");
        }
    }

    @Test
    void twoBrokersPaceOneChannelAcrossTheFleetAndKeepItsOrder(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TCA2");
        Channel general = ws.channel("CCA2", "general");
        Bot bot = sim.app("ACA2").install(ws, "xoxb-ca2", "UCA2");
        Supplier<TestBroker> fleetBroker = () -> TestBroker.builder(sim, redis)
                .config(c -> c.keysWithPrefix(redis.keyPrefix("fleetca2")))
                // 10% above the simulator's limit, so that only pacing that works across brokers avoids a 429.
                .options(o -> o.callInterval(Duration.ofMillis(1100)))
                .start();
        try (TestBroker a = fleetBroker.get();
                TestBroker b = fleetBroker.get()) {
            a.addInstallation("ACA2", bot);
            List<SlackCall> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                calls.add(a.client().postMessage("ACA2", "TCA2", general.id(), "m" + i));
            }

            for (SlackCall call : calls) {
                assertThat(call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS).ok())
                        .isTrue();
            }
            assertThat(ws.history(general))
                    .extracting(ChannelMessage::text)
                    .containsExactly("m0", "m1", "m2", "m3", "m4");
            List<ApiCall> seen = sim.recordings().apiCalls("chat.postMessage").stream()
                    .filter(c -> c.arg("channel").equals(general.id()))
                    .toList();
            assertThat(seen).as("Slack never had to refuse a post").allMatch(ApiCall::ok);
            for (int i = 1; i < seen.size(); i++) {
                assertThat(Duration.between(seen.get(i - 1).at(), seen.get(i).at()))
                        .as("gap before post %d", i)
                        .isGreaterThanOrEqualTo(Duration.ofMillis(1000));
            }
        }
    }

    @Test
    void rateLimitedAndFailingCallsAreRetriedUntilTheySucceed(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TCA3");
        Channel general = ws.channel("CCA3", "general");
        Bot bot = sim.app("ACA3").install(ws, "xoxb-ca3", "UCA3");
        try (TestBroker broker = TestBroker.start(sim, redis)) {
            broker.addInstallation("ACA3", bot);
            sim.rateLimit("chat.postMessage", Duration.ofSeconds(2));

            CallResult limited = broker.client()
                    .postMessage("ACA3", "TCA3", general.id(), "after the limit")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(limited.ok()).as(limited.toString()).isTrue();
            assertThat(limited.attempts()).isGreaterThan(1);
            assertThat(sim.recordings().apiCalls("chat.postMessage"))
                    .anyMatch(c -> c.status() == 429)
                    .last()
                    .matches(ApiCall::ok);

            // Slack may have made a call it answered with a 5xx: only one that is harmless to repeat is
            // made again (CallsUnknownOutcomeIT: a post is not).
            sim.serverErrors("chat.update", 1);
            CallResult failedOnce = broker.client()
                    .call(WebApiCall.update("ACA3", "TCA3", general.id(), limited.ts())
                            .text("after a 500")
                            .build())
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(failedOnce.ok()).as(failedOnce.toString()).isTrue();
            assertThat(failedOnce.attempts()).isEqualTo(2);
            assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("after a 500");
            // Every refusal Slack made is counted once, and each was followed by a retry.
            List<ApiCall> posts = sim.recordings().apiCalls("chat.postMessage");
            long refused429 = posts.stream().filter(c -> c.status() == 429).count();
            long refused500 = sim.recordings().apiCalls("chat.update").stream()
                    .filter(c -> c.status() == 500)
                    .count();
            assertThat(refused500).isEqualTo(1);
            MetricsPage metrics = broker.metrics();
            assertThat(metrics.count("relax_calls_ratelimited_total")).isEqualTo(refused429);
            assertThat(metrics.count("relax_calls_retried_total")).isEqualTo(refused429 + refused500);
            assertThat(metrics.count("relax_calls_total{result=\"ok\"}")).isEqualTo(2);
            // The Web API histogram has one observation per attempt, by method and outcome; the queue
            // wait one per call, at its first attempt.
            assertThat(webApiCalls(metrics, "chat.postMessage", "ratelimited")).isEqualTo(refused429);
            assertThat(webApiCalls(metrics, "chat.postMessage", "ok")).isEqualTo(1);
            assertThat(webApiCalls(metrics, "chat.update", "http_error")).isEqualTo(1);
            assertThat(webApiCalls(metrics, "chat.update", "ok")).isEqualTo(1);
            assertThat(metrics.histogram("relax_call_queue_wait_seconds").count())
                    .isEqualTo(2);
        }
    }

    private static long webApiCalls(MetricsPage metrics, String method, String outcome) {
        return metrics.histogram("relax_web_api_call_seconds{method=\"" + method + "\",outcome=\"" + outcome + "\"}")
                .count();
    }

    @Test
    void permanentErrorsAndUnknownInstallationsFailAtOnce(SlackSimulator sim, EmbeddedRedis redis) throws Exception {
        Workspace ws = sim.workspace("TCA4");
        ws.channel("CCA4", "general");
        Bot bot = sim.app("ACA4").install(ws, "xoxb-ca4", "UCA4");
        try (TestBroker broker = TestBroker.start(sim, redis)) {
            broker.addInstallation("ACA4", bot);

            CallResult missing = broker.client()
                    .postMessage("ACA4", "TCA4", "CNOPE", "nobody reads this")
                    .result()
                    .get(5, TimeUnit.SECONDS);
            CallResult unknown = broker.client()
                    .postMessage("ANOT", "TCA4", "CCA4", "no such app")
                    .result()
                    .get(5, TimeUnit.SECONDS);

            assertThat(missing.ok()).isFalse();
            assertThat(missing.error()).isEqualTo("channel_not_found");
            assertThat(missing.attempts()).isEqualTo(1);
            assertThat(missing.responseJson()).contains("channel_not_found");
            assertThat(sim.recordings().apiCalls("chat.postMessage")).hasSize(1);
            assertThat(unknown.ok()).isFalse();
            assertThat(unknown.error()).isEqualTo("installation_not_found");
            assertThat(unknown.attempts()).isZero();
        }
    }

    @Test
    void callOfABrokerThatStoppedIsMadeOnceByAnother(SlackSimulator sim, EmbeddedRedis redis) throws Exception {
        Workspace ws = sim.workspace("TCA5");
        Channel general = ws.channel("CCA5", "general");
        Bot bot = sim.app("ACA5").install(ws, "xoxb-ca5", "UCA5");
        TestBroker first = TestBroker.builder(sim, redis)
                .config(c -> c.keysWithPrefix(redis.keyPrefix("handover")))
                .start();
        try (RelaxClient relax = RelaxClient.create(first.config());
                TestBroker closedFirst = first) {
            first.addInstallation("ACA5", bot);
            sim.rateLimit("chat.postMessage", Duration.ofSeconds(3));
            SlackCall call = relax.postMessage("ACA5", "TCA5", general.id(), "exactly once");
            await().atMost(WAIT)
                    .until(() -> !sim.recordings().apiCalls("chat.postMessage").isEmpty());

            closedFirst.close(); // closing twice is fine
            assertThat(call.result()).isNotDone();
            try (TestBroker second = TestBroker.builder(sim, redis)
                    .config(c -> c.keysWithPrefix(redis.keyPrefix("handover")))
                    .start()) {
                CallResult result = call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);

                assertThat(result.ok()).as(result.toString()).isTrue();
                assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("exactly once");
                assertThat(sim.recordings().apiCalls("chat.postMessage"))
                        .filteredOn(ApiCall::ok)
                        .hasSize(1);
                await().during(Duration.ofMillis(500))
                        .atMost(WAIT)
                        .until(() -> ws.history(general).size() == 1);
            }
        }
    }

    @Test
    void replyToAnRtmBotsEventIsAMessageFrameWhoseResultIsSlacksAnswer(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TCA6");
        Channel general = ws.channel("CCA6", "general");
        Bot bot = ws.bot("xoxb-ca6", "UCA6", "relaxbot");
        try (TestBroker broker = TestBroker.start(sim, redis)) {
            broker.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);
            RelaxEvent event = RelaxEvent.of(WireEvent.builder("message_new")
                    .teamUid("TCA6")
                    .channelUid(general.id())
                    .build());

            SlackCall call = broker.client().reply(event, "pong");

            // An RTM reply is a message command, not a Web API call; its result is RTM's answer to the frame
            // ({"ok":true,"reply_to":…,"ts":…}): the message is in Slack, at that ts.
            CallResult answered = call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(List.of(answered.id(), answered.method(), answered.channel(), answered.error()))
                    .containsExactly(call.id(), "message", general.id(), "");
            assertThat(answered.ok()).isTrue();
            assertThat(ws.history(general)).singleElement().satisfies(m -> {
                assertThat(m.ts()).isEqualTo(answered.ts());
                assertThat(m.text()).isEqualTo("pong");
            });
            // Published, not stored: an RTM-only deployment keeps exactly the Go broker's keys.
            assertThat(broker.client().callResult(call.id())).isEmpty();
            await().atMost(WAIT)
                    .until(() -> sim.recordings()
                                    .connections("TCA6")
                                    .get(0)
                                    .sent("message")
                                    .size()
                            == 1);
            var frame = sim.recordings()
                    .connections("TCA6")
                    .get(0)
                    .sent("message")
                    .get(0)
                    .json();
            assertThat(frame.get("channel").asText()).isEqualTo(general.id());
            assertThat(frame.get("text").asText()).isEqualTo("pong");
            assertThat(sim.recordings().apiCalls("chat.postMessage")).isEmpty();
        }
    }

    @Test
    void replyToAnAppsEventPostsThroughTheWebApi(SlackSimulator sim, EmbeddedRedis redis) throws Exception {
        Workspace ws = sim.workspace("TCA7");
        Channel general = ws.channel("CCA7", "general");
        Bot bot = sim.app("ACA7").install(ws, "xoxb-ca7", "UCA7");
        try (TestBroker broker = TestBroker.start(sim, redis)) {
            broker.addInstallation("ACA7", bot);
            RelaxEvent event = RelaxEvent.of(WireEvent.builder("message_new")
                    .teamUid("TCA7")
                    .channelUid(general.id())
                    .extraJson("relax_app_id", "\"ACA7\"")
                    .build());

            CallResult result = broker.client().reply(event, "pong").result().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(result.ok()).as(result.toString()).isTrue();
            assertThat(ws.history(general)).extracting(ChannelMessage::ts).containsExactly(result.ts());
        }
    }

    @Test
    void callWithAMethodThatIsNoSlackMethodFailsAtOnceAndItsChannelGoesOn(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TCA8");
        Channel general = ws.channel("CCA8", "general");
        Bot bot = sim.app("ACA8").install(ws, "xoxb-ca8", "UCA8");
        try (TestBroker broker = TestBroker.start(sim, redis)) {
            broker.addInstallation("ACA8", bot);
            RelaxClient relax = broker.client();

            SlackCall bad = relax.call(new WebApiCall("ACA8", "TCA8", "chat.post Message", general.id(), Map.of()));
            SlackCall next = relax.postMessage("ACA8", "TCA8", general.id(), "after the bad one");

            CallResult badResult = bad.result().get(5, TimeUnit.SECONDS);
            assertThat(List.of(badResult.ok(), badResult.error(), badResult.attempts()))
                    .containsExactly(false, "invalid_call", 0);
            CallResult nextResult = next.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(nextResult.ok()).as(nextResult.toString()).isTrue();
            assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("after the bad one");
            assertThat(sim.recordings().apiCalls()).extracting(ApiCall::method).containsOnly("chat.postMessage");
        }
    }

    /**
     * The lane rule: an entry without a {@code channel} field belongs to the channel its {@code params} name.
     * Entries written by hand, half of them naming the channel only in {@code params}, are made in stream
     * order, their results carry that channel, and no lane member is left behind.
     */
    @Test
    void callsNamingTheirChannelOnlyInParamsKeepThatChannelsOrder(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TCA9");
        Channel general = ws.channel("CCA9", "general");
        Bot bot = sim.app("ACA9").install(ws, "xoxb-ca9", "UCA9");
        try (TestBroker broker = TestBroker.start(sim, redis)) {
            broker.addInstallation("ACA9", bot);
            RelaxClient relax = broker.client();
            String calls = broker.config().callsKey();
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                String id = "by-hand-" + i;
                String channel = i % 2 == 0 ? general.id() : "";
                String params = "{\"channel\":\"" + general.id() + "\",\"text\":\"" + i + "\"}";
                ids.add(id);
                broker.redis()
                        .xadd(
                                calls,
                                Map.of(
                                        "id",
                                        id,
                                        "app_id",
                                        "ACA9",
                                        "team_id",
                                        "TCA9",
                                        "method",
                                        "chat.postMessage",
                                        "channel",
                                        channel,
                                        "params",
                                        params));
            }

            for (String id : ids) {
                CallResult result = await().atMost(WAIT)
                        .until(() -> relax.callResult(id), r -> r.isPresent())
                        .orElseThrow();
                assertThat(List.of(result.ok(), result.channel()))
                        .as(result.toString())
                        .containsExactly(true, general.id());
            }
            assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("1", "2", "3", "4");
            assertThat(broker.redis().zcard(calls + ":lanes")).isZero();
        }
    }

    /**
     * A deployment of RTM bots only must leave the Go broker's keys and nothing else: no calls stream, no
     * consumer group. They appear once an app queues a call, which is then made.
     */
    @Test
    void rtmOnlyDeploymentLeavesExactlyTheGoBrokersKeysUntilAnAppCalls(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TCA9");
        Channel general = ws.channel("CCA9", "general");
        User alice = ws.user("UACA9", "alice");
        Bot rtmBot = ws.bot("xoxb-ca9-rtm", "UCA9R", "relaxbot");
        try (TestBroker broker = TestBroker.builder(sim, redis)
                .config(c -> c.keysWithPrefix(redis.keyPrefix("rtmonly")))
                .start()) {
            broker.register(rtmBot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);
            ws.as(alice).post(general, "hello");
            await().atMost(WAIT).until(() -> broker.events().size() == 1);
            SlackCall reply =
                    broker.client().reply(RelaxEvent.of(broker.events().get(0)), "pong");
            await().atMost(WAIT)
                    .until(() -> sim.recordings()
                                    .connections("TCA9")
                                    .get(0)
                                    .sent("message")
                                    .size()
                            == 1);

            // rtmonly_bots, ...; {rtmonly}_bots, ... on a cluster.
            String prefix = redis.keyPrefix("rtmonly");
            List<String> keys = broker.redis().keys(prefix + "*");
            assertThat(keys)
                    .filteredOn(k -> !k.startsWith(prefix + "_mutex:"))
                    .containsExactlyInAnyOrder(prefix + "_bots", prefix + "_events", prefix + "_mutex");
            assertThat(keys)
                    .filteredOn(k -> k.startsWith(prefix + "_mutex:"))
                    .as("the event's dedupe key and the message's send claim")
                    .satisfiesExactlyInAnyOrder(
                            k -> assertThat(k).startsWith(prefix + "_mutex:TCA9:"),
                            k -> assertThat(k).isEqualTo(prefix + "_mutex:send_slack_message:" + reply.id()));

            Bot appBot = sim.app("ACA9").install(ws, "xoxb-ca9-app", "UCA9A");
            broker.addInstallation("ACA9", appBot);
            CallResult posted = broker.client()
                    .postMessage("ACA9", "TCA9", general.id(), "from an app")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(posted.ok()).as(posted.toString()).isTrue();
            assertThat(ws.history(general)).extracting(ChannelMessage::text).contains("from an app");
        }
    }

    @Test
    void callWhoseRequestCannotBeMadeFailsAtOnceAndItsChannelGoesOn(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TCA10");
        Channel general = ws.channel("CCA10", "general");
        Bot good = sim.app("ACA10").install(ws, "xoxb-ca10", "UCA10");
        try (TestBroker broker = TestBroker.start(sim, redis)) {
            broker.addInstallation("ACA10", good);
            // A token no HTTP header can carry: the request cannot even be built.
            broker.redis()
                    .hset(
                            broker.config().installationsKey(),
                            Installation.hashField("ACA10B", "TCA10"),
                            RelaxJson.encodeInstallation(
                                    Installation.of("ACA10B", "TCA10", "UCA10B", "xoxb-broken\nline")));

            SlackCall bad = broker.client().postMessage("ACA10B", "TCA10", general.id(), "never sent");
            SlackCall next = broker.client().postMessage("ACA10", "TCA10", general.id(), "after the broken one");

            CallResult badResult = bad.result().get(5, TimeUnit.SECONDS);
            assertThat(List.of(badResult.ok(), badResult.error(), badResult.attempts()))
                    .containsExactly(false, "invalid_call", 0);
            assertThat(next.result().get(WAIT.toSeconds(), TimeUnit.SECONDS).ok())
                    .isTrue();
            assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("after the broken one");
        }
    }
}
