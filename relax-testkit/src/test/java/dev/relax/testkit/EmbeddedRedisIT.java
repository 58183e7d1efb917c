/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedRedisIT {
    @Test
    void restartsEmptyOnTheSamePort() {
        RedisClient client = RedisClient.create();
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            RedisURI uri = RedisURI.create(redis.uri().toString());
            uri.setTimeout(Duration.ofSeconds(2));
            int port = redis.port();
            try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
                assertThat(connection.sync().ping()).isEqualTo("PONG");
                connection.sync().set("relax", "alive");
            }

            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> client.connect(uri).close()).isInstanceOf(RedisConnectionException.class);

            redis.restart();
            assertThat(redis.port()).isEqualTo(port);
            try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
                assertThat(connection.sync().ping()).isEqualTo("PONG");
                assertThat(connection.sync().get("relax"))
                        .as("no persistence across restarts")
                        .isNull();
                assertThat(connection.sync().configGet("save")).containsEntry("save", "");
                assertThat(connection.sync().configGet("appendonly")).containsEntry("appendonly", "no");
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void commandsAreOneConnectionThatOutlivesARestartAndClosesWithTheServer() {
        RedisClusterCommands<String, String> commands;
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            commands = redis.commands();
            commands.set("relax", "alive");
            assertThat(redis.commands()).isSameAs(commands);
            assertThat(redis.commands().get("relax")).isEqualTo("alive");

            redis.restart();

            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "PONG".equals(commands.ping()));
            assertThat(commands.get("relax")).isNull();
        }
        // One server's commands are a RedisCommands, which names its connection.
        assertThat(((io.lettuce.core.api.sync.RedisCommands<String, String>) commands)
                        .getStatefulConnection()
                        .isOpen())
                .isFalse();
    }

    @Test
    void twoServersGetDifferentPorts() {
        try (EmbeddedRedis one = EmbeddedRedis.start();
                EmbeddedRedis two = EmbeddedRedis.start()) {
            assertThat(one.port()).isNotEqualTo(two.port());
            assertThat(one.uri().toString()).isEqualTo("redis://127.0.0.1:" + one.port());
        }
    }
}
