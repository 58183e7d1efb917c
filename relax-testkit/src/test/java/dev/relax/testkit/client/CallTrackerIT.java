/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relax.client.CallResult;
import dev.relax.client.RelaxClient;
import dev.relax.client.SlackCall;
import dev.relax.client.internal.CallTracker;
import dev.relax.client.internal.RedisConnection;
import dev.relax.client.internal.RedisConnections;
import dev.relax.client.internal.RelaxMeters;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.RelaxException;
import dev.relax.core.protocol.CallRequest;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulatorExtension;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The futures of Web API calls: bounded in time, and completed even when a result's publish was lost. */
class CallTrackerIT {
    @RegisterExtension
    final SlackSimulatorExtension slack = SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration RECHECK = Duration.ofMillis(50);
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final ManualTicker ticker = new ManualTicker();
    private String callsKey;
    private RedisConnections redisClient;
    private RedisConnection connection;
    private RedisClusterCommands<String, String> redis;

    @BeforeEach
    void connect() {
        EmbeddedRedis server = slack.redis();
        // Tagged, so that the keys derived from it share a slot when EmbeddedRedis is a cluster.
        callsKey = "{tracker" + PREFIXES.incrementAndGet() + "}:calls";
        redisClient = RedisConnections.to(server.address(), null, null);
        connection = redisClient.connect();
        redis = connection.sync();
    }

    @AfterEach
    void close() {
        connection.close();
        redisClient.close();
    }

    private CallTracker tracker(Duration timeout) {
        return new CallTracker(
                redisClient::connectPubSub, connection, callsKey, timeout, RECHECK, ticker, RelaxMeters.NONE);
    }

    @Test
    void futureOfACallWhoseResultNeverComesFailsNamingTheCallAfterTheTimeout() {
        try (CallTracker calls = tracker(Duration.ofHours(1))) {
            CompletableFuture<CallResult> result = calls.track("call-1");

            ticker.advance(Duration.ofMinutes(59));
            await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !result.isDone());
            assertThat(calls.pending()).isEqualTo(1);
            ticker.advance(Duration.ofMinutes(1));

            await().atMost(WAIT).until(result::isDone);
            assertThatThrownBy(result::join)
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(RelaxException.class)
                    .hasMessage("call call-1 has no result after 1h (callResultTimeout): no broker has made it yet,"
                            + " or its result expired. A broker may still make it; RelaxClient.callResult(\"call-1\")"
                            + " looks its result up later");
            assertThat(calls.pending()).isZero();
        }
    }

    @Test
    void resultWhosePublishWasLostCompletesItsFutureFromTheResultKey() {
        try (CallTracker calls = tracker(Duration.ofDays(1))) {
            CompletableFuture<CallResult> result = calls.track("call-2");
            await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !result.isDone());

            // A broker stored the result, and its PUBLISH never reached this subscriber.
            redis.set(
                    callsKey + ":result:call-2",
                    "{\"id\":\"call-2\",\"ok\":true,\"method\":\"chat.postMessage\",\"channel\":\"C1\","
                            + "\"ts\":\"1700000000.000100\",\"error\":\"\",\"attempts\":1,\"response\":{\"ok\":true}}");

            await().atMost(WAIT).until(result::isDone);
            assertThat(result.join())
                    .isEqualTo(new CallResult(
                            "call-2", true, "chat.postMessage", "C1", "1700000000.000100", "", 1, "{\"ok\":true}"));
            assertThat(calls.pending()).isZero();
        }
    }

    @Test
    void resultStoredJustBeforeTheTimeoutWithItsPublishLostCompletesTheFuture() {
        // A long recheck period: only the sweep that comes with the timeout reads the result key.
        try (CallTracker calls = new CallTracker(
                redisClient::connectPubSub,
                connection,
                callsKey,
                Duration.ofHours(1),
                Duration.ofHours(1),
                ticker,
                RelaxMeters.NONE)) {
            CompletableFuture<CallResult> result = calls.track("call-5");
            redis.set(
                    callsKey + ":result:call-5",
                    "{\"id\":\"call-5\",\"ok\":true,\"method\":\"chat.postMessage\",\"channel\":\"C1\","
                            + "\"ts\":\"1700000000.000500\",\"error\":\"\",\"attempts\":1,\"response\":{}}");
            ticker.advance(Duration.ofHours(2));

            calls.sweepNow();

            assertThat(result).isCompletedWithValueMatching(r -> r.ok() && r.ts().equals("1700000000.000500"));
        }
    }

    @Test
    void closingTheTrackerFailsTheFuturesStillPending() {
        CallTracker calls = tracker(Duration.ofDays(1));
        CompletableFuture<CallResult> result = calls.track("call-3");

        calls.close();

        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::join)
                .cause()
                .isInstanceOf(RelaxException.class)
                .hasMessage("the client was closed before the result of call call-3 arrived;"
                        + " RelaxClient.callResult(\"call-3\") looks it up later");
        assertThat(calls.pending()).isZero();
    }

    @Test
    void clientBuiltWithACallResultTimeoutFailsTheResultOfACallNoBrokerMakes() {
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("tracker" + PREFIXES.incrementAndGet())
                .redis(RedisAddress.of(slack.redis().host(), slack.redis().port()))
                .build();
        try (RelaxClient relax = RelaxClient.builder(config)
                .callResultTimeout(Duration.ofMillis(300))
                .build()) {
            SlackCall call = relax.postMessage("A1", "T1", "C1", "nobody runs a broker");

            await().atMost(WAIT).until(() -> call.result().isDone());
            assertThatThrownBy(() -> call.result().join())
                    .cause()
                    .isInstanceOf(RelaxException.class)
                    .hasMessageStartingWith("call " + call.id() + " has no result after ");
            assertThat(redis.xlen(config.callsKey())).isEqualTo(1);
        }
    }

    @Test
    void callIsTimedBeforeTheCallersFutureCompletes() {
        // A caller that reads the metrics once its result is in must find the call there (CI once saw it missing).
        AtomicReference<CompletableFuture<CallResult>> queued = new AtomicReference<>();
        List<String> seenAtTiming = new CopyOnWriteArrayList<>();
        RelaxMeters meters = new RelaxMeters() {
            @Override
            public void callFinished(String method, CallResult result, long startTime) {
                seenAtTiming.add(method + " ok=" + result.ok() + " callerDone="
                        + queued.get().isDone());
            }
        };
        try (CallTracker calls = new CallTracker(
                redisClient::connectPubSub, connection, callsKey, Duration.ofDays(1), RECHECK, ticker, meters)) {
            queued.set(calls.queue(
                    new CallRequest("call-6", "A1", "T1", "chat.postMessage", "C1", "{\"text\":\"hi\"}", 1)));

            calls.message(
                    callsKey + ":results",
                    "{\"id\":\"call-6\",\"ok\":false,\"method\":\"chat.postMessage\",\"channel\":\"C1\","
                            + "\"ts\":\"\",\"error\":\"channel_not_found\",\"attempts\":1,\"response\":{}}");

            assertThat(queued.get()).isCompletedWithValueMatching(r -> r.error().equals("channel_not_found"));
            assertThat(seenAtTiming).containsExactly("chat.postMessage ok=false callerDone=false");
            assertThat(calls.pending()).isZero();
        }
    }

    /** Monotonic nanoseconds that move only when told to. */
    private static final class ManualTicker implements java.util.function.LongSupplier {
        private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(42);

        void advance(Duration by) {
            nanos.addAndGet(by.toNanos());
        }

        @Override
        public long getAsLong() {
            return nanos.get();
        }
    }
}
