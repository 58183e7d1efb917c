/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.client.CallResult;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The client's and a consumer's meters on a registry: names, tags, buckets, gauges and their removal. */
class MicrometerMetersTest {
    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final MicrometerMeters meters = new MicrometerMeters(registry);

    private static CallResult result(boolean ok) {
        return new CallResult(
                "id", ok, "chat.postMessage", "C1", ok ? "1.2" : "", ok ? "" : "channel_not_found", 1, "{}");
    }

    private Timer calls(String outcome) {
        return registry.get("relax.client.calls")
                .tags("method", "chat.postMessage", "outcome", outcome)
                .timer();
    }

    @Test
    void callsAreTimedFromQueuedToResultByMethodAndOutcome() {
        long queued = meters.startTime();
        clock.add(Duration.ofMillis(300));
        meters.callFinished("chat.postMessage", result(true), queued);
        meters.callFinished("chat.postMessage", result(false), queued);
        meters.callFinished("chat.postMessage", null, queued);

        assertThat(calls("ok").count()).isEqualTo(1);
        assertThat(calls("ok").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);
        assertThat(calls("error").count()).isEqualTo(1);
        assertThat(calls("no_result").count()).isEqualTo(1);
    }

    @Test
    void pendingCallsAreReadAtEachScrapeAndLeaveWithTheClient() {
        AtomicInteger pending = new AtomicInteger(2);
        meters.pendingCalls("relax_calls", pending::get);

        assertThat(registry.get("relax.client.calls.pending")
                        .tag("stream", "relax_calls")
                        .gauge()
                        .value())
                .isEqualTo(2);
        pending.set(5);
        assertThat(registry.get("relax.client.calls.pending").gauge().value()).isEqualTo(5);

        meters.close();
        assertThat(registry.find("relax.client.calls.pending").gauge()).isNull();
    }

    @Test
    void twoClientsOfOneStreamShareTheGaugeUntilTheLastCloses() {
        MicrometerMeters other = new MicrometerMeters(registry);
        meters.pendingCalls("relax_calls", () -> 2);
        other.pendingCalls("relax_calls", () -> 3);

        assertThat(registry.get("relax.client.calls.pending").gauge().value()).isEqualTo(5);
        meters.close();
        assertThat(registry.get("relax.client.calls.pending").gauge().value()).isEqualTo(3);
        other.close();
        assertThat(registry.find("relax.client.calls.pending").gauge()).isNull();
    }

    @Test
    void handlerRunsFallIntoTheDocumentedBuckets() {
        ConsumerMeters consumer = meters.consumer("relax_events", "c1");
        long started = consumer.startTime();
        clock.add(Duration.ofMillis(40));
        consumer.handlerRan("message_new", ConsumerMeters.Outcome.OK, started);

        Timer timer = registry.get("relax.consumer.handler")
                .tags("queue", "relax_events", "type", "message_new", "outcome", "ok")
                .timer();
        CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
        assertThat(Arrays.stream(buckets).map(b -> (long) b.bucket(TimeUnit.MILLISECONDS)))
                .containsExactly(1L, 5L, 10L, 25L, 50L, 100L, 250L, 500L, 1000L, 2500L, 5000L, 10000L, 30000L);
        assertThat(Arrays.stream(buckets).mapToLong(b -> (long) b.count()).toArray())
                .containsExactly(0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void queueGaugesShowTheLastSampleUnknownBeforeTheFirstAndLeaveWhenTheConsumerStops() {
        ConsumerMeters consumer = meters.consumer("relax_events", "c1");

        assertThat(gauge("relax.consumer.queue.length")).isNaN();
        consumer.queueSampled(new QueueSample(12, 3.5, 2));
        assertThat(gauge("relax.consumer.queue.length")).isEqualTo(12);
        assertThat(gauge("relax.consumer.queue.oldest.age")).isEqualTo(3.5);
        assertThat(gauge("relax.consumer.processing.length")).isEqualTo(2);
        assertThat(registry.get("relax.consumer.queue.oldest.age")
                        .gauge()
                        .getId()
                        .getBaseUnit())
                .isEqualTo("seconds");

        consumer.close();
        assertThat(registry.getMeters()).extracting(Meter::getId).noneMatch(id -> id.getType() == Meter.Type.GAUGE);
    }

    @Test
    void twoConsumersOfOneQueueShareTheirCountersButEachHasItsGauges() {
        ConsumerMeters a = meters.consumer("relax_events", "a");
        ConsumerMeters b = meters.consumer("relax_events", "b");
        a.retried("message_new");
        b.retried("message_new");
        a.queueSampled(new QueueSample(1, 0, 1));
        b.queueSampled(new QueueSample(1, 0, 0));

        assertThat(registry.get("relax.consumer.retries").counter().count()).isEqualTo(2);
        assertThat(registry.get("relax.consumer.processing.length")
                        .tag("consumer", "a")
                        .gauge()
                        .value())
                .isEqualTo(1);
        a.close();
        assertThat(registry.get("relax.consumer.processing.length")
                        .tag("consumer", "b")
                        .gauge()
                        .value())
                .isZero();
    }

    private double gauge(String name) {
        return registry.get(name)
                .tags("queue", "relax_events", "consumer", "c1")
                .gauge()
                .value();
    }
}
