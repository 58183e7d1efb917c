/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relax.core.RedisAddress;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisConnectionsTest {
    @Test
    void anApplicationsRedisClientIsRefusedForAClusterNamingWhatToDoInstead() {
        RedisAddress cluster = RedisAddress.cluster(
                List.of(new RedisAddress.Node("10.0.0.1", 6379), new RedisAddress.Node("10.0.0.2", 6379)));
        RedisClient application = RedisClient.create();
        try {
            assertThatThrownBy(() -> RedisConnections.to(cluster, application, null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("redisClient connects to one server or a Sentinel primary, but the configuration"
                            + " names a Redis Cluster (redis://10.0.0.1:6379,10.0.0.2:6379 (cluster)): leave"
                            + " redisClient unset (give clientResources to share event loops)");
        } finally {
            application.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
