/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.RedisAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedSentinelIT {
    @Test
    void promotesTheReplicaWithItsReplicatedDataWhenThePrimaryIsKilled() {
        try (EmbeddedSentinel redis = EmbeddedSentinel.start()) {
            assertThat(redis.address().mode()).isEqualTo(RedisAddress.Mode.SENTINEL);
            assertThat(redis.url()).startsWith("redis-sentinel://127.0.0.1:").endsWith("#relax");
            int primary = redis.primaryPort();
            redis.commands().set("relax", "replicated");
            // WAIT 1: the write is on the replica before the primary dies, so the promoted replica has it.
            assertThat(redis.commands().waitForReplication(1, 5_000)).isEqualTo(1L);

            redis.killPrimary();
            int promoted = redis.awaitFailover(Duration.ofSeconds(30));

            assertThat(promoted).isNotEqualTo(primary);
            assertThat(redis.primaryPort()).isEqualTo(promoted);
            // The fixture's own connection finds the new primary through the Sentinels.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
                            redis.commands().get("relax"))
                    .isEqualTo("replicated"));
            redis.commands().set("relax", "after");
            assertThat(redis.commands().get("relax")).isEqualTo("after");
        }
    }
}
