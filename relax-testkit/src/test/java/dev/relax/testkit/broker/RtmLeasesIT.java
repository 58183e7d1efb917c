/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.broker.internal.redis.RtmLeases;
import dev.relax.core.protocol.BotId;
import dev.relax.testkit.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scripts RTM replica leases are taken, handed over, renewed and given back with, on a real Redis. */
class RtmLeasesIT {
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private static EmbeddedRedis redis;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.start();
        client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        connection = client.connect();
    }

    @AfterAll
    static void stop() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        redis.close();
    }

    private static RtmLeases leases(String botsKey, String broker) {
        return new RtmLeases(connection.sync(), botsKey, broker, 2);
    }

    private static String botsKey() {
        return "{rtm" + RUNS.incrementAndGet() + "}:bots";
    }

    @Test
    void everyKeyDerivesFromTheBotsKeyAndKeepsItsHashTag() {
        RtmLeases a = new RtmLeases(connection.sync(), "{relax}:bots", "a", 2);

        assertThat(a.leaseKey(new BotId("T1", "ns"), 1)).isEqualTo("{relax}:bots:rtm_lease:ns-T1:1");
        assertThat(a.registryKey()).isEqualTo("{relax}:bots:rtm_brokers");
    }

    @Test
    void aBrokerTakesAtMostOneReplicaOfEachBotAndNoneOnceAllAreHeld() {
        String key = botsKey();
        RtmLeases a = leases(key, "a");
        RtmLeases b = leases(key, "b");
        RtmLeases c = leases(key, "c");
        List<BotId> bots = List.of(BotId.of("T1"), BotId.of("T2"), BotId.of("T3"));

        assertThat(a.take(bots, 2, TTL)).isEqualTo(Map.of(BotId.of("T1"), 0, BotId.of("T2"), 0));
        assertThat(a.take(bots, 10, TTL)).isEqualTo(Map.of(BotId.of("T3"), 0));
        assertThat(a.take(bots, 10, TTL)).isEmpty();
        assertThat(b.take(bots, 10, TTL)).isEqualTo(Map.of(BotId.of("T1"), 1, BotId.of("T2"), 1, BotId.of("T3"), 1));
        assertThat(c.take(bots, 10, TTL)).isEmpty();
        assertThat(c.holders(bots))
                .containsEntry(BotId.of("T1"), List.of("a", "b"))
                .containsEntry(BotId.of("T3"), List.of("a", "b"));
        assertThat(connection.sync().pttl(a.leaseKey(BotId.of("T1"), 0))).isPositive();
    }

    @Test
    void twoBrokersHandingOverTheSameBotLeaveItWithOneHolder() {
        String key = botsKey();
        RtmLeases a = leases(key, "a");
        RtmLeases b = leases(key, "b");
        List<BotId> bot = List.of(BotId.of("T1"));
        a.take(bot, 1, TTL);
        b.take(bot, 1, TTL);

        assertThat(a.shed(bot, 1)).containsExactly(BotId.of("T1"));
        assertThat(b.shed(bot, 1)).isEmpty();

        assertThat(b.holders(bot)).containsEntry(BotId.of("T1"), Arrays.asList(null, "b"));
    }

    @Test
    void renewalReportsTheLeasesLostAndReleaseDeletesOnlyThisBrokersOwn() {
        String key = botsKey();
        RtmLeases a = leases(key, "a");
        RtmLeases b = leases(key, "b");
        List<BotId> bots = List.of(BotId.of("T1"), BotId.of("T2"));
        a.take(bots, 2, TTL);
        connection.sync().del(a.leaseKey(BotId.of("T2"), 0)); // lapsed
        b.take(List.of(BotId.of("T2")), 1, TTL);

        assertThat(a.renew(Map.of(BotId.of("T1"), 0, BotId.of("T2"), 0), TTL)).containsExactly(BotId.of("T2"));

        a.release(Map.of(BotId.of("T1"), 0, BotId.of("T2"), 0));
        assertThat(a.holders(bots))
                .containsEntry(BotId.of("T1"), Arrays.asList(null, null))
                .containsEntry(BotId.of("T2"), Arrays.asList("b", null));
    }

    @Test
    void theRegistryListsTheLiveBrokersAndForgetsOneThatLeft() {
        String key = botsKey();
        RtmLeases a = leases(key, "a");
        RtmLeases b = leases(key, "b");

        assertThat(a.heartbeat(TTL)).containsExactly("a");
        assertThat(b.heartbeat(TTL)).containsExactlyInAnyOrder("a", "b");
        b.leave();
        assertThat(a.heartbeat(TTL)).containsExactly("a");
    }
}
