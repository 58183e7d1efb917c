/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relax.core.RedisAddress;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisConnectionsTest {
    private static final RedisURI URI = RedisURI.create("redis-sentinel://127.0.0.1:26379#relax");
    private static final RedisAddress CLUSTER = RedisAddress.cluster(
            List.of(new RedisAddress.Node("10.0.0.1", 6379), new RedisAddress.Node("10.0.0.2", 6379)));

    @Test
    void aClientOfOurOwnReconnectsAtLeastEverySecondToFindANewPrimarySoon() {
        RedisConnections connections = RedisConnections.own(URI, null);
        try {
            Delay delay = connections.client().getResources().reconnectDelay();
            assertThat(delay.createDelay(4)).isEqualTo(Duration.ofMillis(8));
            assertThat(delay.createDelay(30))
                    .as("Lettuce's default would wait 30 s")
                    .isEqualTo(Duration.ofSeconds(1));
        } finally {
            connections.close();
        }
    }

    @Test
    void theApplicationsResourcesKeepTheirOwnReconnectDelay() {
        DefaultClientResources resources = DefaultClientResources.create();
        RedisConnections connections = RedisConnections.own(URI, resources);
        try {
            assertThat(connections.client().getResources()).isSameAs(resources);
        } finally {
            connections.close();
            resources.shutdown();
        }
        RedisClient shared = RedisClient.create();
        try {
            assertThat(RedisConnections.shared(shared, URI).client()).isSameAs(shared);
        } finally {
            shared.shutdown();
        }
    }

    @Test
    void aClusterClientOfOurOwnReconnectsAtLeastEverySecondToo() {
        RedisConnections connections = RedisConnections.to(CLUSTER, null, null);
        try {
            assertThat(connections.client()).isInstanceOf(io.lettuce.core.cluster.RedisClusterClient.class);
            assertThat(connections.client().getResources().reconnectDelay().createDelay(30))
                    .isEqualTo(Duration.ofSeconds(1));
        } finally {
            connections.close();
        }
    }

    @Test
    void anApplicationsRedisClientIsRefusedForAClusterNamingWhatToDoInstead() {
        RedisClient application = RedisClient.create();
        try {
            assertThatThrownBy(() -> RedisConnections.to(CLUSTER, application, null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("redisClient connects to one server or a Sentinel primary, but the configuration"
                            + " names a Redis Cluster (redis://10.0.0.1:6379,10.0.0.2:6379 (cluster)): leave"
                            + " redisClient unset (give clientResources to share event loops)");
        } finally {
            application.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
