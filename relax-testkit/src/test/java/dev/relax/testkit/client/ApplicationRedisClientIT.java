/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relax.client.EventConsumer;
import dev.relax.client.RelaxClient;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.event.MessageNew;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulatorExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A {@link RelaxClient} built on the application's Lettuce client or resources works, and leaves them running. */
class ApplicationRedisClientIT {
    @RegisterExtension
    final SlackSimulatorExtension slack = SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(20);

    private RelaxConfig config;
    private RedisURI uri;
    private ClientResources resources;
    private RedisClient application;

    @BeforeEach
    void applicationClient() {
        EmbeddedRedis server = slack.redis();
        config = RelaxConfig.builder()
                .keysWithPrefix("app_client")
                .redis(RedisAddress.of(server.host(), server.port()))
                .build();
        uri = RedisURI.create(server.host(), server.port());
        resources = DefaultClientResources.create();
        application = RedisClient.create(resources, uri);
    }

    @AfterEach
    void shutDownApplicationClient() {
        application.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Test
    void aClientOnTheApplicationsRedisClientWorksAndLeavesItUsableWhenClosed() {
        StatefulRedisConnection<String, String> appConnection = application.connect();
        List<String> texts = new CopyOnWriteArrayList<>();

        try (RelaxClient relax =
                        RelaxClient.builder(config).redisClient(application).build();
                EventConsumer consumer = relax.consumer()
                        .on(MessageNew.class, m -> texts.add(m.text()))
                        .start()) {
            relax.startBot("T1", "xoxb-app-client");
            assertThat(appConnection.sync().hget(config.botsKey(), "T1")).contains("xoxb-app-client");

            appConnection.sync().rpush(config.eventsQueue(), ConsumerITSupport.message("T1", "C1", "hello"));
            await().atMost(WAIT).until(() -> texts.equals(List.of("hello")));
            assertThat(consumer.handled()).isEqualTo(1);
        }

        assertThat(appConnection.isOpen()).isTrue();
        assertThat(appConnection.sync().ping()).isEqualTo("PONG");
        try (StatefulRedisConnection<String, String> later = application.connect()) {
            assertThat(later.sync().ping()).isEqualTo("PONG");
        }
        appConnection.close();
    }

    @Test
    void aConsumerThatCannotStartLeavesNoConnectionOpenOnTheApplicationsRedisClient() {
        StatefulRedisConnection<String, String> appConnection = application.connect();
        long before = connections(appConnection);
        // The consumers registry is not a set: the consumer's first heartbeat (SADD) fails, after its
        // connections were made.
        appConnection.sync().set(config.eventsQueue() + ":consumers", "not a set");

        try (RelaxClient relax =
                RelaxClient.builder(config).redisClient(application).build()) {
            assertThatThrownBy(
                            () -> relax.consumer().on(MessageNew.class, m -> {}).start())
                    .hasMessageContaining("WRONGTYPE");
        }

        // Closing the RelaxClient leaves the application's client running, so nothing else would ever
        // close what the failed start opened on it.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(connections(appConnection)).isEqualTo(before));
        appConnection.close();
    }

    @Test
    void aClientThatCannotConnectLeavesNoConnectionOpenOnTheApplicationsRedisClient() {
        StatefulRedisConnection<String, String> appConnection = application.connect();
        long before = connections(appConnection);
        String maxClients = appConnection.sync().configGet("maxclients").get("maxclients");
        // No room for the client's connection: it is refused.
        appConnection.sync().configSet("maxclients", Long.toString(before));
        try {
            assertThatThrownBy(() ->
                            RelaxClient.builder(config).redisClient(application).build())
                    .isInstanceOf(RedisException.class);
        } finally {
            appConnection.sync().configSet("maxclients", maxClients);
        }

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(connections(appConnection)).isEqualTo(before));
        appConnection.close();
    }

    private static long connections(StatefulRedisConnection<String, String> connection) {
        return connection.sync().clientList().lines().filter(l -> !l.isBlank()).count();
    }

    @Test
    void aClientOnTheApplicationsResourcesShutsDownOnlyItsOwnLettuceClient() {
        try (RelaxClient relax =
                RelaxClient.builder(config).clientResources(resources).build()) {
            relax.startBot("T2", "xoxb-app-resources");
        }

        try (StatefulRedisConnection<String, String> connection = application.connect()) {
            assertThat(connection.sync().hget(config.botsKey(), "T2")).contains("xoxb-app-resources");
        }
        assertThat(resources.eventExecutorGroup().isShuttingDown()).isFalse();
    }

    @Test
    void aClientTakesTheApplicationsRedisClientOrItsResourcesNotBoth() {
        RelaxClient.Builder both =
                RelaxClient.builder(config).redisClient(application).clientResources(resources);

        assertThatThrownBy(both::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("give redisClient or clientResources, not both: a RedisClient brings its own resources");
    }
}
