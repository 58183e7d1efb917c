/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;

class RedisServerCheckTest {

    @Test
    void aCurrentServerPasses() {
        assertThatCode(() -> new RedisServerCheck(() -> "redis_version:7.2.4\r\n", "redis://r:6379").verify())
                .doesNotThrowAnyException();
    }

    @Test
    void aServerThatRefusesInfoPassesUnchecked() {
        RedisServerCheck check = new RedisServerCheck(
                () -> {
                    throw new RedisCommandExecutionException(
                            "NOPERM User relax has no permissions to run the 'info' command");
                },
                "redis://r:6379");

        assertThatCode(check::verify).doesNotThrowAnyException();
    }

    @Test
    void otherRedisErrorsAreThrownForTheRetry() {
        RedisServerCheck check = new RedisServerCheck(
                () -> {
                    throw new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory");
                },
                "redis://r:6379");

        assertThatThrownBy(check::verify)
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessageStartingWith("LOADING");
    }
}
