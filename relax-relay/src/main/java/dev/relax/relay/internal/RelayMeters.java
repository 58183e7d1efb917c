/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the relay measures (docs/relay.md, "Metrics"): how long users wait for the first visible text of an
 * answer and for the whole of it, counted from the question's Slack timestamp; the backend's failures by
 * kind; the questions being answered. The questions waiting for a worker are the events queue's length,
 * which the relay's consumer reports ({@code relax_consumer_queue_length}).
 */
final class RelayMeters {
    /** From an answer that starts at once to one behind a slow backend's retries. */
    private static final Duration[] BUCKETS = Arrays.stream(
                    new long[] {100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000})
            .mapToObj(Duration::ofMillis)
            .toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final Timer firstChunk;
    private final Meter.MeterProvider<Timer> answers;
    private final Meter.MeterProvider<Counter> backendErrors;

    RelayMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.firstChunk = Timer.builder("relax.relay.first.chunk")
                .description("From a question (its Slack timestamp) to the first text of its answer visible in Slack")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
        this.answers = Timer.builder("relax.relay.answers")
                .description("From a question (its Slack timestamp) to the end of its answer, by outcome")
                .serviceLevelObjectives(BUCKETS)
                .withRegistry(registry);
        this.backendErrors = Counter.builder("relax.relay.backend.errors")
                .description("Questions the backend did not answer, by kind")
                .withRegistry(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Reports {@code inFlight} (read at each scrape) as the questions this instance is answering. */
    void inFlight(Supplier<Number> inFlight) {
        Gauge.builder("relax.relay.questions.in.flight", inFlight)
                .description("Questions this relay instance is answering now")
                .register(registry);
    }

    void firstChunk(Duration sinceQuestion) {
        firstChunk.record(nonNegative(sinceQuestion));
    }

    /** {@code outcome}: {@code answered}, or the backend's failure, or {@code not_shown} when Slack refused it. */
    void answer(String outcome, Duration sinceQuestion) {
        answers.withTags("outcome", outcome).record(nonNegative(sinceQuestion));
    }

    /** {@code kind}: {@code server_error}, {@code timeout}, {@code connection}, {@code cut_off}, … */
    void backendError(String kind) {
        backendErrors.withTags("kind", kind.toLowerCase(Locale.ROOT)).increment();
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
