/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

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
}
