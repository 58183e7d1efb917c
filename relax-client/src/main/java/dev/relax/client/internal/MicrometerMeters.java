/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.client.CallResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * {@link RelaxMeters} on the application's Micrometer {@link MeterRegistry}. Only a builder given a
 * registry creates one, so this class (and Micrometer) is loaded only then. docs/operations.md ("Client
 * metrics") lists the meters.
 */
public final class MicrometerMeters implements RelaxMeters {
    /** From a quick API answer to one that waited behind the fleet's per-channel pacing or a Slack outage. */
    private static final Duration[] CALL_BUCKETS =
            millis(50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000);

    final MeterRegistry registry;
    private final Meter.MeterProvider<Timer> calls;
    /** What close() undoes: this client's share of a shared gauge; any thread. */
    private final List<Runnable> closers = new CopyOnWriteArrayList<>();

    public MicrometerMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "meterRegistry");
        this.calls = Timer.builder("relax.client.calls")
                .description("Web API calls queued by this client, from queued to result, by method and outcome")
                .serviceLevelObjectives(CALL_BUCKETS)
                .withRegistry(registry);
    }

    @Override
    public long startTime() {
        return registry.config().clock().monotonicTime();
    }

    @Override
    public void callFinished(String method, CallResult result, long startTime) {
        String outcome = result == null ? "no_result" : result.ok() ? "ok" : "error";
        record(calls.withTags("method", method, "outcome", outcome), startTime);
    }

    /** Histogram buckets (Micrometer's service level objectives) at these milliseconds. */
    static Duration[] millis(long... bounds) {
        return Arrays.stream(bounds).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    }

    /** Records in {@code timer} the time since {@code startTime}, on the registry's clock. */
    void record(Timer timer, long startTime) {
        timer.record(startTime() - startTime, TimeUnit.NANOSECONDS);
    }

    /**
     * Clients on one registry and one calls stream share one gauge, the sum of their pending calls (a
     * registry gives a second registration of the same meter back the first one): the gauge goes when the
     * last of them closes. Guarded by itself.
     */
    private static final Map<MeterRegistry, Map<String, List<IntSupplier>>> PENDING = new WeakHashMap<>();

    @Override
    public void pendingCalls(String callsKey, IntSupplier pending) {
        synchronized (PENDING) {
            List<IntSupplier> all = PENDING.computeIfAbsent(registry, r -> new HashMap<>())
                    .computeIfAbsent(callsKey, k -> new CopyOnWriteArrayList<>());
            if (all.isEmpty()) {
                Gauge.builder("relax.client.calls.pending", () -> all.stream()
                                .mapToInt(IntSupplier::getAsInt)
                                .sum())
                        .description("Web API calls queued by the clients of this stream whose result has not come yet")
                        .tag("stream", callsKey)
                        .strongReference(true)
                        .register(registry);
            }
            all.add(pending);
        }
        closers.add(() -> {
            synchronized (PENDING) {
                Map<String, List<IntSupplier>> byKey = PENDING.getOrDefault(registry, Map.of());
                List<IntSupplier> all = byKey.get(callsKey);
                if (all != null && all.remove(pending) && all.isEmpty()) {
                    byKey.remove(callsKey);
                    registry.find("relax.client.calls.pending")
                            .tag("stream", callsKey)
                            .meters()
                            .forEach(registry::remove);
                }
            }
        });
    }

    @Override
    public ConsumerMeters consumer(String queue, String consumerId) {
        return new MicrometerConsumerMeters(this, queue, consumerId);
    }

    @Override
    public void close() {
        closers.forEach(Runnable::run);
        closers.clear();
    }
}
