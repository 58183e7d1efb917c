/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.relax.core.RedisAddress;
import dev.relax.core.Secret;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link RedisAddress#toClientUrl()}, which the broker and RelaxClient connect with, as Lettuce reads it. */
class ClientUrlTest {

    @Test
    void lettuceReadsThePasswordTheDatabaseTlsAndTheTenSecondTimeout() {
        RedisAddress address = new RedisAddress("redis.example", 6380, "relax", Secret.of("p@ss word"), 3, true);

        RedisURI uri = RedisURI.create(address.toClientUrl());

        assertThat(uri.getHost()).isEqualTo("redis.example");
        assertThat(uri.getPort()).isEqualTo(6380);
        assertThat(uri.getUsername()).isEqualTo("relax");
        assertThat(new String(uri.getPassword())).isEqualTo("p@ss word");
        assertThat(uri.getDatabase()).isEqualTo(3);
        assertThat(uri.isSsl()).isTrue();
        assertThat(uri.getTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aPlainAddressGetsTheTimeoutToo() {
        RedisURI uri = RedisURI.create(RedisAddress.of("localhost", 6379).toClientUrl());

        assertThat(uri.getHost()).isEqualTo("localhost");
        assertThat(uri.getPassword()).isNull();
        assertThat(uri.getDatabase()).isZero();
        assertThat(uri.getTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void lettuceReadsTheSentinelsThePrimaryNameAndGivesThePasswordToThePrimaryOnly() {
        RedisAddress address = RedisAddress.parseUrl(
                "redis-sentinel://:p%40ss@sentinel-a:26379,sentinel-b:26380/2#relax-primary", "REDIS_URL");

        RedisURI uri = RedisURI.create(address.toClientUrl());

        assertThat(uri.getSentinelMasterId()).isEqualTo("relax-primary");
        assertThat(uri.getSentinels())
                .extracting(RedisURI::getHost, RedisURI::getPort)
                .containsExactly(tuple("sentinel-a", 26379), tuple("sentinel-b", 26380));
        assertThat(new String(uri.getPassword())).isEqualTo("p@ss");
        assertThat(uri.getDatabase()).isEqualTo(2);
        assertThat(uri.getTimeout()).isEqualTo(Duration.ofSeconds(10));
        // Lettuce sends no AUTH to the Sentinels themselves: REDIS_PASSWORD is the primary's (operations.md).
        assertThat(uri.getSentinels()).allSatisfy(sentinel -> {
            assertThat(sentinel.getPassword()).isNull();
            assertThat(sentinel.getTimeout()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void sentinelVariablesGiveLettuceTheSameUrl() {
        RedisAddress address = dev.relax.core.RelaxConfig.fromEnv(java.util.Map.of(
                        "RELAX_BOTS_KEY", "bots",
                        "RELAX_BOTS_PUBSUB", "pubsub",
                        "RELAX_EVENTS_QUEUE", "events",
                        "RELAX_MUTEX_KEY", "mutex",
                        "REDIS_SENTINELS", "10.0.0.1:26379,10.0.0.2",
                        "REDIS_SENTINEL_MASTER", "mymaster",
                        "REDIS_PASSWORD", "secret"))
                .redis();

        RedisURI uri = RedisURI.create(address.toClientUrl());

        assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
        assertThat(uri.getSentinels())
                .extracting(RedisURI::getHost, RedisURI::getPort)
                .containsExactly(tuple("10.0.0.1", 26379), tuple("10.0.0.2", 26379));
        assertThat(new String(uri.getPassword())).isEqualTo("secret");
    }
}
