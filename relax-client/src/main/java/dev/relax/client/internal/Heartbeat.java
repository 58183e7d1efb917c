/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's heartbeat thread: every {@link ConsumerSettings#beatEvery()} it keeps this consumer alive in
 * Redis, returns the events of consumers whose heartbeat expired to the queue, and hands events stranded in
 * our own list to a handler. While stopping it only beats, so that no other consumer takes back the events
 * of handlers still running, however long stop() waits for them.
 */
final class Heartbeat {
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final ConsumerSettings s;
    private final ConsumerRedis redis;
    private final ConsumerState state;
    /** Hands a stranded event to a handler if a permit is free; false once stopping began. */
    private final Predicate<String> takeUpStranded;

    private final ConsumerMeters meters;
    private final Clock clock;
    private final StrandedEvents stranded = new StrandedEvents();
    private final ScheduledExecutorService thread;

    Heartbeat(
            ConsumerSettings settings,
            ConsumerRedis redis,
            ConsumerState state,
            Predicate<String> takeUpStranded,
            ConsumerMeters meters,
            Clock clock) {
        this.s = settings;
        this.redis = redis;
        this.state = state;
        this.takeUpStranded = takeUpStranded;
        this.meters = meters;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("relax-consumer-heartbeat-" + settings.id())
                .daemon()
                .factory());
    }

    /** Beats on the heartbeat thread from {@link ConsumerSettings#beatEvery()} on. */
    void start() {
        long every = s.beatEvery().toMillis();
        thread.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    /** Ends the heartbeat thread; no beat happens after this returns (unless the thread hung 2 s in Redis). */
    void stop() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void tick() {
        try {
            redis.beat();
            // While draining it only beats: our events stay ours, and nothing new starts.
            if (!state.stopping()) {
                reapSilentConsumers();
                takeUpStrandedEvents();
            }
        } catch (RuntimeException e) {
            log.warn("consumer {}: heartbeat failed ({}); will retry", s.id(), e.toString());
        }
        sampleQueue();
    }

    /** Refreshes the queue gauges here, once per beat, so that a scrape never waits for Redis. */
    private void sampleQueue() {
        if (!meters.samplesQueue()) {
            return;
        }
        try {
            meters.queueSampled(redis.sample(clock.instant()));
        } catch (RuntimeException e) {
            meters.queueSampled(QueueSample.UNKNOWN); // not a stale figure that looks current
            log.debug("consumer {}: cannot read the queue's figures ({})", s.id(), e.toString());
        }
    }

    private void reapSilentConsumers() {
        for (String other : redis.silentOthers()) {
            long moved = redis.reap(other);
            if (moved > 0) {
                log.warn(
                        "consumer {}: consumer {} stopped beating; returned its {} unfinished events to {}",
                        s.id(),
                        other,
                        moved,
                        s.queue());
            }
        }
    }

    private void takeUpStrandedEvents() {
        for (String raw : stranded.confirm(redis.held(), state::holds)) {
            if (!takeUpStranded.test(raw)) {
                return;
            }
        }
    }
}
