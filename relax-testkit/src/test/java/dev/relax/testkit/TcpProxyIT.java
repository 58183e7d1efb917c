/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpProxyIT {
    @Test
    void blackholedCommandsTimeOutAndArriveAfterResumeWhileDroppedConnectionsAreReplaced() {
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                TcpProxy proxy = TcpProxy.start(redis.host(), redis.port())) {
            RedisURI uri = RedisURI.create("127.0.0.1", proxy.port());
            uri.setTimeout(Duration.ofMillis(300));
            RedisClient client = RedisClient.create(uri);
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().set("k", "before");
                assertThat(c.sync().get("k")).isEqualTo("before");

                proxy.blackhole();
                assertThatThrownBy(() -> c.sync().set("k", "held")).isInstanceOf(RedisCommandTimeoutException.class);
                proxy.resume();
                // The held SET reaches Redis once the proxy forwards again, as after a healed partition.
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> "held".equals(c.sync().get("k")));

                int before = proxy.acceptedConnections();
                proxy.dropConnections();
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> "held"
                        .equals(c.sync().get("k")));
                assertThat(proxy.acceptedConnections()).isEqualTo(before + 1);
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }
}
