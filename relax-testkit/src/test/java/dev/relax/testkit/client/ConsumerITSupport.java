/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.client;

import dev.relax.client.EventConsumer;
import dev.relax.client.RelaxClient;
import dev.relax.core.RelaxConfig;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulatorExtension;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the consumer ITs start from: a Redis of each test's own, a {@link RelaxClient} with keys of its own,
 * Redis as the test (in the broker's place) sees it, and the consumers a test started, stopped after it.
 */
abstract class ConsumerITSupport {
    @RegisterExtension
    final SlackSimulatorExtension slack = SlackSimulatorExtension.create().withRedis();

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final String prefix;
    private final List<EventConsumer> consumers = new ArrayList<>();
    RelaxConfig config;
    RelaxClient relax;
    RedisClusterCommands<String, String> redis;

    /** {@code prefix} and a number name the keys of each test. */
    ConsumerITSupport(String prefix) {
        this.prefix = prefix;
    }

    @BeforeEach
    void connect() {
        EmbeddedRedis server = slack.redis();
        config = RelaxConfig.builder()
                .keysWithPrefix(server.keyPrefix(prefix + PREFIXES.incrementAndGet()))
                .redis(server.address())
                .build();
        relax = RelaxClient.create(config);
        redis = server.commands();
    }

    @AfterEach
    void close() {
        consumers.forEach(c -> c.stop(Duration.ofSeconds(5)));
        relax.close();
    }

    /** Starts the consumer and stops it after the test. */
    EventConsumer start(EventConsumer.Builder builder) {
        EventConsumer c = builder.start();
        consumers.add(c);
        return c;
    }

    /** A {@code message_new} as the broker writes it, with {@code text} as its timestamps too. */
    static String message(String team, String channel, String text) {
        return RelaxJson.encodeEvent(WireEvent.builder("message_new")
                .teamUid(team)
                .channelUid(channel)
                .text(text)
                .timestamp(text)
                .eventTimestamp(text)
                .build());
    }

    /** The events in every consumer's processing list now. */
    long processing() {
        return redis.keys(config.eventsQueue() + ":processing:*").stream()
                .mapToLong(redis::llen)
                .sum();
    }
}
