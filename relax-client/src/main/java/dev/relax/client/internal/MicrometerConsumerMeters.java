/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@link ConsumerMeters} on a Micrometer {@link MeterRegistry}. Timers and counters are tagged with the
 * queue (never team or channel) and shared by the consumers of one queue; the gauges are this consumer's
 * (tagged with its id too) and leave the registry when it stops. The gauges show what the heartbeat thread
 * last read, so a scrape never touches Redis.
 */
final class MicrometerConsumerMeters implements ConsumerMeters {
    /** From a handler that only logs to one that calls Slack and waits for its result. */
    private static final Duration[] HANDLER_BUCKETS =
            MicrometerMeters.millis(1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000);

    /** The client's meters, whose registry and clock these use. */
    private final MicrometerMeters client;

    private final MeterRegistry registry;
    private final Meter.MeterProvider<Timer> handler;
    private final Meter.MeterProvider<Counter> retries;
    private final Counter deadLettersFailed;
    private final Counter deadLettersMalformed;
    private final List<Meter> gauges;
    /** Written by the heartbeat thread, read by scrapes. */
    private volatile QueueSample sample = QueueSample.UNKNOWN;

    MicrometerConsumerMeters(MicrometerMeters client, String queue, String consumerId) {
        this.client = client;
        this.registry = client.registry;
        Tags tags = Tags.of("queue", queue);
        this.handler = Timer.builder("relax.consumer.handler")
                .description("Runs of event handlers, by event type and outcome (ok, error, abandoned at stop)")
                .tags(tags)
                .serviceLevelObjectives(HANDLER_BUCKETS)
                .withRegistry(registry);
        this.retries = Counter.builder("relax.consumer.retries")
                .description("Handler runs that retried an event whose handler threw, by event type")
                .tags(tags)
                .withRegistry(registry);
        Counter.Builder dead = Counter.builder("relax.consumer.dead.letters")
                .description("Events moved to the dead-letter list: handler failed every attempt, or event unreadable")
                .tags(tags);
        this.deadLettersFailed = dead.tag("reason", "failed").register(registry);
        this.deadLettersMalformed = dead.tag("reason", "malformed").register(registry);
        Tags own = tags.and("consumer", consumerId);
        this.gauges = List.of(
                gauge("relax.consumer.queue.length", "Events waiting in the queue", own, QueueSample::queueLength),
                gauge(
                        "relax.consumer.queue.oldest.age",
                        "How long ago the oldest waiting event happened (its event_timestamp); 0 when none waits",
                        own,
                        QueueSample::oldestAgeSeconds,
                        "seconds"),
                gauge(
                        "relax.consumer.processing.length",
                        "Events in this consumer's processing list: taken, not yet acknowledged or dead-lettered",
                        own,
                        QueueSample::processingLength));
    }

    private Gauge gauge(String name, String help, Tags tags, ToDoubleFunction<QueueSample> figure) {
        return gauge(name, help, tags, figure, null);
    }

    private Gauge gauge(String name, String help, Tags tags, ToDoubleFunction<QueueSample> figure, String unit) {
        return Gauge.builder(name, this, m -> figure.applyAsDouble(m.sample))
                .description(help)
                .tags(tags)
                .baseUnit(unit)
                .strongReference(true)
                .register(registry);
    }

    @Override
    public long startTime() {
        return client.startTime();
    }

    @Override
    public void handlerRan(String type, Outcome outcome, long startTime) {
        client.record(handler.withTags("type", type, "outcome", outcome.tag()), startTime);
    }

    @Override
    public void retried(String type) {
        retries.withTags("type", type).increment();
    }

    @Override
    public void deadLettered(int attempts) {
        (attempts == 0 ? deadLettersMalformed : deadLettersFailed).increment();
    }

    @Override
    public boolean samplesQueue() {
        return true;
    }

    @Override
    public void queueSampled(QueueSample sample) {
        this.sample = sample;
    }

    @Override
    public void close() {
        gauges.forEach(registry::remove);
    }
}
