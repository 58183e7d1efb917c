/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.broker.internal.redis.Leases;
import dev.relax.broker.internal.redis.RedisConnection;
import dev.relax.broker.internal.redis.RedisConnections;
import dev.relax.testkit.EmbeddedRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The leases and the registry of live brokers that Socket Mode connections are held under. */
class LeasesIT {
    private static EmbeddedRedis redis;
    private static RedisConnections client;
    private static RedisConnection connection;

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.start();
        client = new RedisConnections(redis.address());
        connection = client.openConnection();
    }

    @AfterAll
    static void stop() {
        connection.close();
        client.close();
        redis.close();
    }

    /** Redis's clock in milliseconds. */
    private static long redisMillis() {
        List<String> time = connection.sync().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    @Test
    void brokersCountEachOtherAliveByRedissClockNotTheirOwn() {
        // Each broker once scored itself by its own clock: one 60 s behind the other (more than the
        // TTL) had its entry trimmed by the other's next heartbeat, so each thought it was alone and
        // took every slot as its fair share. The scores now come from Redis's TIME.
        Leases a = new Leases(connection, "broker-a");
        Leases b = new Leases(connection, "broker-b");
        Duration ttl = Duration.ofSeconds(20);

        long before = redisMillis();
        assertThat(a.heartbeat("registry:1", ttl)).isEqualTo(1);
        assertThat(b.heartbeat("registry:1", ttl)).isEqualTo(2);
        assertThat(a.heartbeat("registry:1", ttl)).isEqualTo(2);
        long after = redisMillis();

        for (String broker : List.of("broker-a", "broker-b")) {
            long expires = connection.sync().zscore("registry:1", broker).longValue();
            assertThat(expires - ttl.toMillis()).isBetween(before, after);
        }
    }

    @Test
    void aBrokerThatStopsHeartbeatingIsNoLongerCountedOnceItsTtlPassed() {
        Leases a = new Leases(connection, "broker-a");
        Leases b = new Leases(connection, "broker-b");
        Duration ttl = Duration.ofMillis(300);
        assertThat(a.heartbeat("registry:2", ttl)).isEqualTo(1);
        assertThat(b.heartbeat("registry:2", ttl)).isEqualTo(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> a.heartbeat("registry:2", ttl) == 1);
        assertThat(connection.sync().zrange("registry:2", 0, -1)).containsExactly("broker-a");
    }

    @Test
    void aLeaseTakenForOneHolderIsNeitherTakenNorGivenBackByAnother() {
        Leases leases = new Leases(connection, "broker-a");
        Duration ttl = Duration.ofSeconds(20);

        assertThat(leases.take("lease:spare", "broker-a:refresh:1", ttl)).isTrue();
        assertThat(leases.take("lease:spare", "broker-a:refresh:2", ttl)).isFalse();
        assertThat(leases.acquire("lease:spare", ttl))
                .as("the broker's own slot leases do not renew a refresh's spare")
                .isFalse();
        leases.release("lease:spare", "broker-a:refresh:2");
        leases.release("lease:spare");
        assertThat(connection.sync().get("lease:spare")).isEqualTo("broker-a:refresh:1");

        leases.release("lease:spare", "broker-a:refresh:1");
        assertThat(connection.sync().exists("lease:spare")).isZero();
    }
}
