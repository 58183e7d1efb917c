/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SlackSimulatorExtensionIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis().configure(b -> b.ackTimeout(Duration.ofMillis(250)));

    @Test
    void injectsARunningSimulatorAndRedis(SlackSimulator slack, EmbeddedRedis redis) {
        assertThat(slack).isSameAs(SLACK.simulator());
        slack.workspace("T-ext").bot("xoxb-ext", "UEXT", "ext");
        try (SlackApi api = new SlackApi(slack)) {
            assertThat(api.form("auth.test", "xoxb-ext").ok()).isTrue();
        }
        RedisClient client = RedisClient.create(redis.uri().toString());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
