/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.redis.RedisConnection;
import dev.relax.broker.internal.redis.RedisConnections;
import dev.relax.broker.internal.slack.Arrival;
import dev.relax.broker.internal.slack.DedupeKey;
import dev.relax.broker.internal.slack.Translated;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.core.MutexMode;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotId;
import dev.relax.testkit.EmbeddedRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The broker's Redis writer on its own: dedupe and push as one step. */
class EventWriterIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The queue and the mutex key share a hash tag, as a cluster needs (EmbeddedRedis may be one). */
    private static final String Q = "{w}q";

    private static final String M = "{w}m";
    private EmbeddedRedis redis;
    private RedisConnections client;
    private RedisConnection connection;

    @BeforeEach
    void start() {
        redis = EmbeddedRedis.start();
        client = new RedisConnections(redis.address());
        connection = client.openConnection();
    }

    @AfterEach
    void stop() {
        connection.close();
        client.close();
        redis.close();
    }

    private EventWriter writer(MutexMode mode) {
        EventWriter w = new EventWriter(
                connection,
                Q,
                M,
                mode,
                Duration.ofSeconds(60),
                1000,
                64,
                Duration.ZERO,
                new BrokerMetrics(),
                BrokerTracing.noop());
        w.start();
        return w;
    }

    private static Translated message(String team, String channel, String ts, String text) {
        WireEvent e = WireEvent.builder("message_new")
                .teamUid(team)
                .channelUid(channel)
                .text(text)
                .timestamp(ts)
                .eventTimestamp(ts)
                .build();
        return new Translated(e, DedupeKey.rtm(BotId.of(team), "message_new:" + channel + ":" + ts, channel, ts));
    }

    private List<String> queue() {
        return connection.sync().lrange(Q, 0, -1).stream()
                .map(j -> RelaxJson.decodeEvent(j).text())
                .toList();
    }

    @Test
    void twoTeamsWithTheSameChannelIdAndTsAreBothDelivered() {
        try (EventWriter w = writer(MutexMode.BOUNDED)) {
            w.offer(
                    BotId.of("T1"),
                    message("T1", "C1", "1700000000.000100", "from T1"),
                    Arrival.now(Arrival.Transport.RTM));
            w.offer(
                    BotId.of("T2"),
                    message("T2", "C1", "1700000000.000100", "from T2"),
                    Arrival.now(Arrival.Transport.RTM));

            await().atMost(WAIT).until(() -> queue().size() == 2);
            assertThat(queue()).containsExactly("from T1", "from T2");
        }
    }

    /**
     * Redis forgets loaded scripts (a restart; on a cluster, a replica promoted without them): the writer's
     * EVALSHA meets NOSCRIPT, loads the script again (on every node of a cluster) and pushes, losing nothing.
     */
    @Test
    void eventsArePushedAfterRedisForgetsTheScript() {
        try (EventWriter w = writer(MutexMode.BOUNDED)) {
            w.offer(BotId.of("T1"), message("T1", "C1", "1.0", "before"), Arrival.now(Arrival.Transport.RTM));
            await().atMost(WAIT).until(() -> queue().size() == 1);

            connection.sync().scriptFlush();
            w.offer(BotId.of("T1"), message("T1", "C1", "2.0", "after"), Arrival.now(Arrival.Transport.RTM));

            await().atMost(WAIT).until(() -> queue().size() == 2);
            assertThat(queue()).containsExactly("before", "after");
            assertThat(w.healthy()).isTrue();
        }
    }

    @Test
    void theSameEventFromTwoWritersIsPushedOnce() {
        try (EventWriter a = writer(MutexMode.BOUNDED);
                EventWriter b = writer(MutexMode.BOUNDED)) {
            for (int i = 0; i < 100; i++) {
                Translated t = message("T1", "C1", "17000000" + i + ".0001", "m" + i);
                a.offer(BotId.of("T1"), t, Arrival.now(Arrival.Transport.RTM));
                b.offer(BotId.of("T1"), t, Arrival.now(Arrival.Transport.RTM));
            }
            await().atMost(WAIT).until(() -> a.depth() == 0 && b.depth() == 0);
            assertThat(queue()).hasSize(100).doesNotHaveDuplicates();
        }
    }

    @Test
    void hashModeChecksAndSetsTheGoField() {
        try (EventWriter w = writer(MutexMode.HASH)) {
            connection.sync().hset(M, "bot_message:C1:2.0", "ok");
            w.offer(BotId.of("T1"), message("T1", "C1", "1.0", "new"), Arrival.now(Arrival.Transport.RTM));
            w.offer(
                    BotId.of("T1"),
                    message("T1", "C1", "2.0", "already pushed by a Go broker"),
                    Arrival.now(Arrival.Transport.RTM));
            w.offer(BotId.of("T1"), message("T1", "C1", "3.0", "newer"), Arrival.now(Arrival.Transport.RTM));

            await().atMost(WAIT).until(() -> w.depth() == 0);
            assertThat(queue()).containsExactly("new", "newer");
            assertThat(connection.sync().hgetall(M))
                    .containsOnlyKeys("bot_message:C1:1.0", "bot_message:C1:2.0", "bot_message:C1:3.0");
        }
    }

    @Test
    void flushWaitsForEverythingOffered() {
        try (EventWriter w = writer(MutexMode.BOUNDED)) {
            for (int i = 0; i < 1000; i++) {
                w.offer(BotId.of("T1"), message("T1", "C1", i + ".5", "m" + i), Arrival.now(Arrival.Transport.RTM));
            }
            assertThat(w.flush(WAIT)).isTrue();
            assertThat(queue()).hasSize(1000);
        }
    }

    @Test
    void aQueueKeyOfTheWrongTypeLosesNothingOnceFixed() {
        connection.sync().set(Q, "not a list");
        try (EventWriter w = writer(MutexMode.BOUNDED)) {
            for (int i = 0; i < 5; i++) {
                w.offer(BotId.of("T1"), message("T1", "C1", i + ".1", "m" + i), Arrival.now(Arrival.Transport.RTM));
            }
            await().atMost(WAIT).until(() -> !w.healthy());
            assertThat(connection.sync().keys(M + ":*"))
                    .as("nothing marked as pushed")
                    .isEmpty();

            connection.sync().del(Q);

            await().atMost(WAIT).until(() -> w.depth() == 0);
            assertThat(queue()).containsExactly("m0", "m1", "m2", "m3", "m4");
        }
    }

    @Test
    void aClaimRetriedByItsOwnerStillWinsAndNoOtherBrokerGetsIt() throws Exception {
        var mine = new dev.relax.broker.internal.redis.SendClaims(
                connection, M, MutexMode.BOUNDED, Duration.ofSeconds(60), "broker-a");
        var theirs = new dev.relax.broker.internal.redis.SendClaims(
                connection, M, MutexMode.BOUNDED, Duration.ofSeconds(60), "broker-b");

        assertThat(mine.claim("send_slack_message:1").toCompletableFuture().get())
                .isTrue();
        // A retry after a timeout whose SET had in fact run:
        assertThat(mine.claim("send_slack_message:1").toCompletableFuture().get())
                .isTrue();
        assertThat(theirs.claim("send_slack_message:1").toCompletableFuture().get())
                .isFalse();
        assertThat(connection.sync().ttl(M + ":send_slack_message:1")).isPositive();
    }
}
