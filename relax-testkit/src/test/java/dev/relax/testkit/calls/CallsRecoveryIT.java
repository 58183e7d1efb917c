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
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.Workspace;
import dev.relax.testkit.broker.BrokerJar;
import io.lettuce.core.Consumer;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls stream after faults: a broker killed while it holds calls, a reply of Redis that never came
 * back, entries removed behind the brokers' backs, consumers of brokers that are gone. Whatever the room
 * of each broker, every call is made, once, in its channel's order.
 */
class CallsRecoveryIT {
    @RegisterExtension
    final SlackSimulatorExtension slack = SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GROUP = "relax-brokers";

    /** Where the jar's broker writes; kept when the test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    /**
     * A broker killed (SIGKILL) with a full room, three rooms' worth of calls queued for one channel: the
     * broker that comes next reads a room of later calls, which wait for the killed broker's; it takes those
     * over although its room is full, and every call is made once, in stream order.
     */
    @Test
    void callsOfABrokerKilledMidWayAreTakenOverWhateverTheRoom(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TRC1");
        Channel general = ws.channel("CRC1", "general");
        Bot bot = sim.app("ARC1").install(ws, "xoxb-rc1-secret", "URC1");
        int port = BrokerJar.freePort();
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("killedfull")
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .slackHost(sim.baseUrl())
                .port(port)
                .build();
        Map<String, String> env = new HashMap<>(config.toEnv());
        // A claim idle longer than the next broker's start, so that it reads a room of later calls first.
        env.put("RELAX_CALL_CLAIM_IDLE", "5");
        env.put("RELAX_CALL_MAX_HELD", "8");
        env.put("RELAX_CALL_INTERVAL", "0.1");
        try (RelaxClient relax = RelaxClient.create(config)) {
            relax.addInstallation(
                    Installation.of("ARC1", "TRC1", "URC1", bot.token().reveal()));
            List<SlackCall> calls = new ArrayList<>();
            try (BrokerJar jar = BrokerJar.start(env, logs)) {
                jar.awaitReady(port);
                for (int i = 0; i < 24; i++) {
                    calls.add(relax.postMessage("ARC1", "TRC1", general.id(), String.format("m%02d", i)));
                }
                await().atMost(WAIT).until(() -> ws.history(general).size() >= 3);
                // Stop it between calls: Slack refuses the next one, and the broker waits out Retry-After.
                sim.rateLimit("chat.postMessage", Duration.ofSeconds(4));
                await().atMost(WAIT)
                        .until(() -> redis.commands().exists(config.callsKey() + ":hold:TRC1:chat.postMessage") == 1);

                jar.kill(); // SIGKILL: nothing is handed over
                assertThat(jar.exitsWithin(WAIT)).isTrue();
            }
            int made = ws.history(general).size();
            assertThat(made).as("killed mid-way").isBetween(3, 23);

            try (TestBroker next = TestBroker.builder(sim, redis)
                    .config(c -> c.keysWithPrefix("killedfull"))
                    .options(o -> o.callClaimIdle(Duration.ofSeconds(5))
                            .callMaxHeld(8)
                            .callInterval(Duration.ofMillis(100)))
                    .start()) {
                for (SlackCall call : calls) {
                    CallResult result = call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertThat(result.ok()).as(result.toString()).isTrue();
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    expected.add(String.format("m%02d", i));
                }
                assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactlyElementsOf(expected);
                assertThat(sim.recordings().apiCalls("chat.postMessage"))
                        .filteredOn(ApiCall::ok)
                        .hasSize(24);
                assertThat(next.redis().xlen(config.callsKey())).isZero();
            }
        }
    }

    /**
     * The READ script ran (the entry is pending on this broker's consumer and first in its lane) but its
     * reply never reached the broker, whose room is then filled by later calls of the same channel: the
     * broker takes its own entry over once idle, room or not, and the channel goes on in order.
     */
    @Test
    void ownEntryWhoseReadReplyWasLostIsTakenOverWhenTheRoomIsFull(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TRC2");
        Channel general = ws.channel("CRC2", "general");
        Channel other = ws.channel("CRC2B", "other");
        Bot bot = sim.app("ARC2").install(ws, "xoxb-rc2", "URC2");
        try (TestBroker broker = TestBroker.builder(sim, redis)
                .options(o -> o.callMaxHeld(1)
                        // Longer than the update below waits: the lost entry is not idle yet when room frees.
                        .callClaimIdle(Duration.ofSeconds(8))
                        .callInterval(Duration.ofMillis(100)))
                .start()) {
            broker.addInstallation("ARC2", bot);
            RelaxClient relax = broker.client();
            String calls = broker.config().callsKey();
            CallResult posted = relax.postMessage("ARC2", "TRC2", other.id(), "to update")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            String consumer =
                    consumers(broker.redis(), calls).keySet().iterator().next();
            // The room (one call) is taken by an update Slack refuses for 3 s.
            sim.rateLimit("chat.update", Duration.ofSeconds(3));
            SlackCall update = relax.call(WebApiCall.update("ARC2", "TRC2", other.id(), posted.ts())
                    .text("updated")
                    .build());
            await().atMost(WAIT).until(() -> broker.redis().exists(calls + ":hold:TRC2:chat.update") == 1);

            SlackCall first = relax.postMessage("ARC2", "TRC2", general.id(), "first");
            Long delivered = broker.redis()
                    .eval(
                            READ_WITHOUT_REPLY,
                            ScriptOutputType.INTEGER,
                            new String[] {calls, calls + ":lanes"},
                            GROUP,
                            consumer);
            assertThat(delivered).isEqualTo(1);
            SlackCall second = relax.postMessage("ARC2", "TRC2", general.id(), "second");
            SlackCall third = relax.postMessage("ARC2", "TRC2", general.id(), "third");

            for (SlackCall call : List.of(update, first, second, third)) {
                CallResult result = call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(result.ok()).as(result.toString()).isTrue();
            }
            assertThat(ws.history(general))
                    .extracting(ChannelMessage::text)
                    .containsExactly("first", "second", "third");
            assertThat(sim.recordings().apiCalls("chat.postMessage"))
                    .filteredOn(c -> c.arg("channel").equals(general.id()))
                    .hasSize(3);
        }
    }

    /**
     * A broker died right after reading a call, and an app deleted that call since: no later call of the
     * channel comes, yet its lane entry does not stay in Redis for good.
     */
    @Test
    void laneEntryOfACallDeletedBehindTheBrokersBackIsCleanedUp(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TRC3");
        Channel general = ws.channel("CRC3", "general");
        Bot bot = sim.app("ARC3").install(ws, "xoxb-rc3", "URC3");
        try (TestBroker broker = TestBroker.builder(sim, redis)
                .options(o -> o.callClaimIdle(Duration.ofMillis(500)))
                .start()) {
            broker.addInstallation("ARC3", bot);
            String calls = broker.config().callsKey();
            assertThat(broker.client()
                            .postMessage("ARC3", "TRC3", general.id(), "warm up")
                            .result()
                            .get(WAIT.toSeconds(), TimeUnit.SECONDS)
                            .ok())
                    .isTrue();

            Long laneMembers = broker.redis()
                    .eval(
                            READ_THEN_DELETE,
                            ScriptOutputType.INTEGER,
                            new String[] {calls, calls + ":lanes"},
                            GROUP,
                            "broker-died",
                            "TRC3",
                            "CRC3");
            // Counted in the script: the broker's sweep may drop the member as soon as the script ends.
            assertThat(laneMembers).isEqualTo(1);

            await().atMost(WAIT).until(() -> broker.redis().zcard(calls + ":lanes") == 0);
            await().atMost(WAIT)
                    .until(() -> broker.redis().xpending(calls, GROUP).getCount() == 0);
        }
    }

    /**
     * A broker that closes with nothing pending deletes its consumer; one that hands calls over keeps it
     * (deleting it would drop the calls from the group's pending list), and once another broker has taken
     * them over and the consumer stayed idle long, that broker deletes it, as it does other idle ones.
     */
    @Test
    void consumersOfGoneBrokersAreDeletedOnceNothingIsPendingOnThem(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TRC4");
        Channel general = ws.channel("CRC4", "general");
        Bot bot = sim.app("ARC4").install(ws, "xoxb-rc4", "URC4");
        Supplier<TestBroker> fleetBroker = () -> TestBroker.builder(sim, redis)
                .config(c -> c.keysWithPrefix("consumers"))
                .options(o -> o.callClaimIdle(Duration.ofMillis(500)))
                .start();
        TestBroker first = fleetBroker.get();
        try (RelaxClient relax = RelaxClient.create(first.config());
                TestBroker closedFirst = first) {
            first.addInstallation("ARC4", bot);
            String calls = first.config().callsKey();
            RedisClusterCommands<String, String> r = redis.commands();
            assertThat(relax.postMessage("ARC4", "TRC4", general.id(), "idle after this")
                            .result()
                            .get(WAIT.toSeconds(), TimeUnit.SECONDS)
                            .ok())
                    .isTrue();
            assertThat(consumers(r, calls)).hasSize(1);
            closedFirst.close();
            assertThat(consumers(r, calls)).as("deleted on close").isEmpty();

            TestBroker second = fleetBroker.get();
            sim.rateLimit("chat.postMessage", Duration.ofSeconds(3));
            SlackCall handedOver = relax.postMessage("ARC4", "TRC4", general.id(), "handed over");
            await().atMost(WAIT).until(() -> r.exists(calls + ":hold:TRC4:chat.postMessage") == 1);
            String secondConsumer = consumers(r, calls).keySet().iterator().next();
            second.close(); // hands the call over: it waits for Slack, it has not reached it
            assertThat(consumers(r, calls))
                    .as("kept: it still has the call it handed over")
                    .containsEntry(secondConsumer, 1L);

            try (TestBroker third = fleetBroker.get()) {
                r.xgroupCreateconsumer(calls, Consumer.from(GROUP, "broker-never-read"));
                assertThat(handedOver
                                .result()
                                .get(WAIT.toSeconds(), TimeUnit.SECONDS)
                                .ok())
                        .isTrue();
                // Deleted once idle ten claim idle times (5 s) with nothing pending; the live one stays.
                await().atMost(WAIT).until(() -> consumers(r, calls).size() == 1);
                assertThat(consumers(r, calls)).doesNotContainKeys(secondConsumer, "broker-never-read");
                assertThat(ws.history(general))
                        .extracting(ChannelMessage::text)
                        .containsExactly("idle after this", "handed over");
            }
        }
    }

    /**
     * What the READ script does for one entry, as if its reply were lost: delivers the oldest new entry to
     * consumer ARGV[2] and enters it in its lane ({@code <team>|<channel>|<padded stream id>}). KEYS[1]
     * stream, KEYS[2] lanes; ARGV[1] group. Returns how many entries it delivered.
     */
    private static final String READ_WITHOUT_REPLY =
            """
            local function pad(s, n) return string.rep('0', n - #s) .. s end
            local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', KEYS[1], '>')
            if not r then return 0 end
            local e = r[1][2][1]
            local f = {}
            for i = 1, #e[2], 2 do f[e[2][i]] = e[2][i + 1] end
            local ms, seq = string.match(e[1], '^(%d+)%-(%d+)$')
            redis.call('ZADD', KEYS[2], 0, f['team_id'] .. '|' .. f['channel'] .. '|' .. pad(ms, 15) .. '-' .. pad(seq, 20))
            return 1
            """;

    /**
     * Queues a call, delivers it to consumer ARGV[2] (which then dies), enters it in its lane, and deletes
     * it, as an app tidying the stream would: KEYS[1] stream, KEYS[2] lanes; ARGV[1] group, ARGV[3] team,
     * ARGV[4] channel. Returns how many members the lanes have then.
     */
    private static final String READ_THEN_DELETE =
            """
            local function pad(s, n) return string.rep('0', n - #s) .. s end
            local id = redis.call('XADD', KEYS[1], '*', 'id', 'deleted-1', 'app_id', 'ARC3', 'team_id', ARGV[3],
              'method', 'chat.postMessage', 'channel', ARGV[4], 'params', '{"text":"never"}')
            redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', KEYS[1], '>')
            local ms, seq = string.match(id, '^(%d+)%-(%d+)$')
            redis.call('ZADD', KEYS[2], 0, ARGV[3] .. '|' .. ARGV[4] .. '|' .. pad(ms, 15) .. '-' .. pad(seq, 20))
            redis.call('XDEL', KEYS[1], id)
            return redis.call('ZCARD', KEYS[2])
            """;

    /** The consumers of the calls group and how many entries each has pending. */
    private static Map<String, Long> consumers(RedisClusterCommands<String, String> r, String stream) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Object raw : r.xinfoConsumers(stream, GROUP)) {
            List<?> fields = (List<?>) raw;
            String name = null;
            long pending = 0;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                switch (String.valueOf(fields.get(i))) {
                    case "name" -> name = String.valueOf(fields.get(i + 1));
                    case "pending" -> pending = ((Number) fields.get(i + 1)).longValue();
                    default -> {}
                }
            }
            out.put(name, pending);
        }
        return out;
    }
}
