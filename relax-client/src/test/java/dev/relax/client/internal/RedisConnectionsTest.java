/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisConnectionsTest {
    private static final RedisURI URI = RedisURI.create("redis-sentinel://127.0.0.1:26379#relax");

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
}
