/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import java.util.Locale;

/**
 * Where one consumer reports what it measures: each handler run, retries, dead letters, and the queue
 * figures its heartbeat thread samples. {@link #NONE} (every method a no-op, and no sampling, so no
 * extra Redis command) unless the application gave a {@code MeterRegistry}.
 */
public interface ConsumerMeters extends AutoCloseable {
    /** Measures nothing. */
    ConsumerMeters NONE = new ConsumerMeters() {};

    /** How one run of a handler ended. */
    enum Outcome {
        /** It returned. */
        OK,
        /** It threw. */
        ERROR,
        /** It ended after stop() gave up on it (its outcome is ignored and its event goes back to the queue). */
        ABANDONED;

        /** The tag value: {@code ok}, {@code error}, {@code abandoned}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A monotonic start time for {@link #handlerRan}. */
    default long startTime() {
        return 0;
    }

    /** A handler of an event of {@code type} that started at {@code startTime} ended with {@code outcome}. */
    default void handlerRan(String type, Outcome outcome, long startTime) {}

    /** A handler of an event of {@code type} runs again after it threw. */
    default void retried(String type) {}

    /** An event went to the dead-letter list: after {@code attempts} failed runs, or 0 when it was unreadable. */
    default void deadLettered(int attempts) {}

    /** Whether the heartbeat thread should read the queue figures from Redis for {@link #queueSampled}. */
    default boolean samplesQueue() {
        return false;
    }

    /** The queue figures the heartbeat thread read just now ({@link QueueSample#UNKNOWN} when it could not). */
    default void queueSampled(QueueSample sample) {}

    /** Removes this consumer's gauges (counters and timers stay: other consumers of the queue share them). */
    @Override
    default void close() {}
}
