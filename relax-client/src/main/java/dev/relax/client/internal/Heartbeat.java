/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

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

    private final StrandedEvents stranded = new StrandedEvents();
    private final ScheduledExecutorService thread;

    Heartbeat(ConsumerSettings settings, ConsumerRedis redis, ConsumerState state, Predicate<String> takeUpStranded) {
        this.s = settings;
        this.redis = redis;
        this.state = state;
        this.takeUpStranded = takeUpStranded;
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
            if (state.stopping()) {
                return; // draining: keep our events ours, and start nothing new
            }
            reapSilentConsumers();
            takeUpStrandedEvents();
        } catch (RuntimeException e) {
            log.warn("consumer {}: heartbeat failed ({}); will retry", s.id(), e.toString());
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
