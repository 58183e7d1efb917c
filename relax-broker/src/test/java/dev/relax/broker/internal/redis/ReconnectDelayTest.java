/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.core.RedisAddress;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker's Redis client retries a lost connection at least every second (a Sentinel failover). */
class ReconnectDelayTest {
    @Test
    void theBrokersRedisClientReconnectsAtLeastEverySecond() {
        RedisAddress sentinels = RedisAddress.sentinel(List.of(new RedisAddress.Node("127.0.0.1", 26379)), "relax");
        try (RedisConnections connections = new RedisConnections(sentinels)) {
            Delay delay = connections.client().getResources().reconnectDelay();

            assertThat(delay.createDelay(4)).isEqualTo(Duration.ofMillis(8));
            assertThat(delay.createDelay(30))
                    .as("Lettuce's default would wait 30 s")
                    .isEqualTo(Duration.ofSeconds(1));
        }
    }
}
