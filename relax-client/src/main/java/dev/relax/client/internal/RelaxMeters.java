/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.client.CallResult;
import java.util.function.IntSupplier;

/**
 * Where a {@code RelaxClient} reports what it measures, and makes its consumers' {@link ConsumerMeters}.
 * {@link #NONE} unless the application gave a {@code MeterRegistry}: then {@link MicrometerMeters}, the one
 * place (with {@link MicrometerConsumerMeters}) that touches Micrometer, so that an application without it
 * never loads a Micrometer class. Every method is a no-op here.
 */
public interface RelaxMeters extends AutoCloseable {
    /** Measures nothing: what a client without a registry uses. */
    RelaxMeters NONE = new RelaxMeters() {};

    /** A monotonic start time for {@link #callFinished}. */
    default long startTime() {
        return 0;
    }

    /**
     * The future of a Web API call of {@code method} queued at {@code startTime} completed with
     * {@code result}, or failed (null: not queued, no result within callResultTimeout, or client closed).
     */
    default void callFinished(String method, CallResult result, long startTime) {}

    /** Reports {@code pending} (read at each scrape) as the calls of the stream {@code callsKey} awaiting a result. */
    default void pendingCalls(String callsKey, IntSupplier pending) {}

    /** The meters of consumer {@code consumerId} of {@code queue}. */
    default ConsumerMeters consumer(String queue, String consumerId) {
        return ConsumerMeters.NONE;
    }

    /** Removes this client's gauges from the registry (counters and timers stay, as Micrometer's do). */
    @Override
    default void close() {}
}
