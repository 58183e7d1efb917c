/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.broker.internal.apps.AppContexts;
import dev.relax.broker.internal.apps.AppDirectory;
import dev.relax.broker.internal.apps.AppFleet;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.redis.CommandSubscriber;
import dev.relax.broker.internal.redis.RedisRetry;
import dev.relax.broker.internal.redis.RedisServerCheck;
import dev.relax.broker.internal.slack.FakeTimers;
import dev.relax.broker.internal.slack.Fleet;
import dev.relax.broker.internal.slack.RtmContext;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.protocol.AppRegistration;
import io.lettuce.core.RedisConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * The command thread's routing and reconciliation over a fake Redis (hashes in maps) and a fake clock
 * (the retry's waits are recorded, never slept; ticks wait on fake timers). No bot is registered, so no
 * socket is ever opened.
 */
class CommandLoopTest {
    private final RelaxConfig config = RelaxConfig.builder()
            .keysWithPrefix("t")
            .redis(RedisAddress.of("localhost", 6379))
            .build();
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final Map<String, Map<String, String>> hashes = new HashMap<>();
    private final List<String> reads = new ArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    private final List<RedisServerCheck.Unsupported> refusals = new ArrayList<>();
    private String serverInfo = "redis_version:7.2.4\r\n";
    /** Failures the next reads throw, one each. */
    private int failingReads;

    private final AppDirectory directory = new AppDirectory(field -> null);
    private final FakeTimers workers = new FakeTimers();
    private final CommandLoop loop = new CommandLoop(
            config,
            new LinkedBlockingQueue<>(),
            new Fleet(
                    new RtmContext(
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            metrics,
                            null,
                            Clock.systemUTC(),
                            field -> null,
                            workers::ticker,
                            outcome -> {}),
                    config.botsKey(),
                    Duration.ZERO,
                    config.encryptionKeys(),
                    false),
            new AppFleet(AppContexts.withoutSockets(config.appsKey(), directory, workers, metrics)),
            new CommandLoop.Hashes(this::hget, this::hgetall),
            new RedisRetry(metrics, () -> false, waits::add),
            new RedisServerCheck(() -> serverInfo, "redis://localhost:6379"),
            metrics,
            refusals::add);

    private String hget(String key, String field) {
        fail();
        reads.add("HGET " + key + " " + field);
        return hashes.getOrDefault(key, Map.of()).get(field);
    }

    private Map<String, String> hgetall(String key) {
        fail();
        reads.add("HGETALL " + key);
        return hashes.getOrDefault(key, Map.of());
    }

    private void fail() {
        if (failingReads > 0) {
            failingReads--;
            throw new RedisConnectionException("connection reset");
        }
    }

    private boolean handle(String command) {
        return loop.handle(new CommandSubscriber.Raw(command));
    }

    @Test
    void aReconciliationLoadsBothHashesAndMakesTheBrokerReconciled() {
        hashes.put(config.appsKey(), Map.of("A1", "{\"app_id\":\"A1\",\"signing_secret\":\"s1\"}"));
        assertThat(loop.reconciled()).isFalse();

        assertThat(loop.handle(new CommandSubscriber.Reconcile())).isTrue();

        assertThat(reads).containsExactly("HGETALL t_bots", "HGETALL t_bots:apps");
        assertThat(directory.apps()).extracting(AppRegistration::appId).containsExactly("A1");
        assertThat(loop.reconciled()).isTrue();
    }

    @Test
    void aReconciliationRetriesRedisUntilItAnswers() {
        failingReads = 2;

        assertThat(loop.handle(new CommandSubscriber.Reconcile())).isTrue();

        assertThat(waits).hasSize(2);
        assertThat(metrics.redisErrors.count()).isEqualTo(2);
        assertThat(loop.reconciled()).isTrue();
    }

    @Test
    void aServerTooOldStopsTheLoopAndRefusesTheBroker() {
        serverInfo = "redis_version:6.0.16\r\n";

        assertThat(loop.handle(new CommandSubscriber.Reconcile())).isFalse();

        assertThat(refusals).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("is version 6.0.16"));
        assertThat(reads).isEmpty();
        assertThat(loop.reconciled()).isFalse();
    }

    @Test
    void appCommandsReadTheAppsHash() {
        hashes.put(config.appsKey(), Map.of("A7", "{\"app_id\":\"A7\",\"signing_secret\":\"s7\"}"));

        assertThat(handle("{\"type\":\"app_added\",\"app_id\":\"A7\"}")).isTrue();

        assertThat(reads).containsExactly("HGET t_bots:apps A7");
        assertThat(directory.app("A7")).isNotNull();
        assertThat(metrics.commandsIn.count()).isEqualTo(1);
        assertThat(metrics.commandsRejected.count()).isZero();
    }

    @Test
    void botCommandsGoToTheFleet() {
        assertThat(handle("{\"type\":\"team_added\",\"team_id\":\"T1\"}")).isTrue();
        assertThat(handle("{\"type\":\"message\",\"team_id\":\"T1\",\"payload\":\"{}\"}"))
                .isTrue();

        assertThat(reads).containsExactly("HGET t_bots T1");
        // No registration, and then no such bot: both refused.
        assertThat(metrics.commandsIn.count()).isEqualTo(2);
        assertThat(metrics.commandsRejected.count()).isEqualTo(2);
    }

    @Test
    void aMalformedCommandIsRejectedAndTheLoopGoesOn() {
        assertThat(handle("{\"type\":\"team_added\"")).isTrue();
        assertThat(handle("{\"type\":\"app_removed\",\"app_id\":\"A1\"}")).isTrue();

        assertThat(metrics.commandsIn.count()).isEqualTo(2);
        assertThat(metrics.commandsRejected.count()).isEqualTo(1);
    }
}
