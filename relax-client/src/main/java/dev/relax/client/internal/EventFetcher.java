/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's fetch thread: with a permit free, moves the queue's next event into our processing list
 * (BLMOVE) and dispatches it, until stopping begins. stop() never interrupts this thread: an interrupted
 * BLMOVE may still move an event into our list after stop() returned the others.
 */
final class EventFetcher {
    private static final Logger log = LoggerFactory.getLogger(EventFetcher.class);

    /** How long one BLMOVE blocks; bounds how long stop() waits for the fetch thread. */
    static final double BLOCK_SECONDS = 0.5;

    private final ConsumerSettings s;
    private final ConsumerRedis redis;
    private final ConsumerState state;
    private final Semaphore permits;
    /** Dispatches an event (a permit held) unless stopping began; false if it had. */
    private final Predicate<String> dispatchUnlessStopping;

    private final Pause pause;
    private final Thread thread;

    EventFetcher(
            ConsumerSettings settings,
            ConsumerRedis redis,
            ConsumerState state,
            Semaphore permits,
            Predicate<String> dispatchUnlessStopping,
            Pause pause) {
        this.s = settings;
        this.redis = redis;
        this.state = state;
        this.permits = permits;
        this.dispatchUnlessStopping = dispatchUnlessStopping;
        this.pause = pause;
        this.thread = Thread.ofPlatform()
                .name("relax-consumer-" + settings.id())
                .daemon()
                .unstarted(this::fetch);
    }

    void start() {
        thread.start();
    }

    /**
     * Waits (once stopping began) for the last BLMOVE to end, a little beyond its block time; whether the
     * thread ended. An event that BLMOVE took stays in our list, for stop() to return.
     */
    boolean awaitEnd() {
        try {
            thread.join(Duration.ofMillis((long) (BLOCK_SECONDS * 1000) + 2_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void fetch() {
        Backoff backoff = new Backoff(pause);
        while (!state.stopping()) {
            // Poll for a permit rather than block, so that stopping is seen without an interrupt.
            try {
                if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            if (state.stopping()) {
                permits.release();
                return;
            }
            String raw;
            try {
                raw = redis.take(BLOCK_SECONDS);
                backoff.reset();
            } catch (RuntimeException e) {
                permits.release();
                if (state.stopping()) {
                    return;
                }
                log.warn(
                        "consumer {}: cannot take events from {} ({}); retrying in {} ms",
                        s.id(),
                        s.queue(),
                        e.toString(),
                        backoff.nextMillis());
                backoff.pause();
                continue;
            }
            if (raw == null) {
                permits.release();
                continue;
            }
            if (!dispatchUnlessStopping.test(raw)) {
                // Taken by the last BLMOVE while stop() began: it stays in our list, and stop() returns it.
                permits.release();
                return;
            }
        }
    }
}
