/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.rotation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.apps.AppEventTranslator;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.core.RelaxConfig;
import dev.relax.core.RelaxException;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.Installation;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every broker's search for rotating tokens about to expire: every {@code interval} (jittered by up to a
 * quarter either way, so that brokers started together do not scan together) it walks the installations
 * hash with HSCAN, a hundred fields a step, and has {@link TokenRefresher} refresh those due, one after the
 * other, each under its lock. The timer only hands the scan to a worker thread; the scan never overlaps
 * itself. Failures (Redis away, say) are logged and the next scan tries again.
 */
public final class RefreshScan implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RefreshScan.class);

    private final TokenRefresher refresher;
    private final RotationStore store;
    private final RelaxConfig config;
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final Duration interval;
    private volatile boolean closed;

    private RefreshScan(
            TokenRefresher refresher,
            RotationStore store,
            RelaxConfig config,
            ScheduledExecutorService timers,
            ExecutorService workers,
            Duration interval) {
        this.refresher = refresher;
        this.store = store;
        this.config = config;
        this.timers = timers;
        this.workers = workers;
        this.interval = interval;
    }

    /** Wires the refresher and its scan on the broker's shared commands connection; {@link #start()} starts it. */
    public static RefreshScan create(
            RelaxConfig config,
            RedisClusterCommands<String, String> redis,
            HttpClient http,
            ObjectMapper json,
            AppEventTranslator translator,
            EventWriter events,
            BrokerMetrics metrics,
            Clock clock,
            String brokerId,
            Duration margin,
            Duration interval,
            ScheduledExecutorService timers,
            ExecutorService workers) {
        RotationStore store = new RotationStore(redis, config);
        TokenRefresher refresher = new TokenRefresher(
                store,
                new OAuthRefreshClient(http, config.slackHost(), Duration.ofSeconds(10), json, metrics),
                translator,
                events,
                metrics,
                config.encryptionKeys(),
                clock,
                brokerId,
                margin);
        return new RefreshScan(refresher, store, config, timers, workers, interval);
    }

    /** What a call that met {@code token_expired} uses to renew its installation at once. */
    public TokenRefresher refresher() {
        return refresher;
    }

    public void start() {
        schedule();
    }

    private void schedule() {
        if (closed) {
            return;
        }
        long base = interval.toMillis();
        long delay = base * 3 / 4 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        try {
            timers.schedule(() -> workers.execute(this::scanAndReschedule), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The broker is closing.
        }
    }

    private void scanAndReschedule() {
        try {
            scan();
        } catch (InterruptedException e) {
            return; // the broker stops
        } catch (RuntimeException e) {
            log.warn(
                    "the scan for tokens to refresh failed ({}); trying again in about {} s",
                    e.toString(),
                    interval.toSeconds());
        }
        schedule();
    }

    /** One walk through the installations hash. */
    void scan() throws InterruptedException {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            MapScanCursor<String, String> step = store.scan(cursor);
            for (Map.Entry<String, String> e : step.getMap().entrySet()) {
                if (closed) {
                    return;
                }
                if (due(e.getValue())) {
                    refresher.refreshIfDue(e.getKey());
                }
            }
            cursor = step;
        } while (!cursor.isFinished() && !closed);
    }

    private boolean due(String json) {
        try {
            Installation installation = RelaxJson.decodeInstallation(json, config.encryptionKeys());
            return refresher.due(installation) && !refresher.held(installation.appId());
        } catch (RelaxException e) {
            return false; // CallRunner and the app directory report unreadable installations where they are used
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
