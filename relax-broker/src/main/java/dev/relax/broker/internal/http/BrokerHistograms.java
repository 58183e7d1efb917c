/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's histograms, each with fixed buckets chosen for what it measures (a dozen, not the ~70 of a
 * percentile histogram: every series of every tag combination pays for each bucket). Named here, recorded
 * through {@link BrokerMetrics}. Micrometer adds a {@code _max} gauge to each (the largest value of the
 * last few minutes).
 */
final class BrokerHistograms {
    /** Inside the broker: receipt to Redis, receipt to ack. Sub-millisecond to seconds (a Redis outage). */
    private static final Duration[] LOCAL = durations(
            "PT0.0005S",
            "PT0.001S",
            "PT0.0025S",
            "PT0.005S",
            "PT0.01S",
            "PT0.025S",
            "PT0.05S",
            "PT0.1S",
            "PT0.25S",
            "PT0.5S",
            "PT1S",
            "PT2.5S",
            // Slack redelivers what is not acknowledged within 3 s: the share over it must be readable.
            "PT3S",
            "PT5S",
            "PT10S");
    /** Slack's event time to Redis: Slack's own delay (and clocks) included, up to a redelivery. */
    private static final Duration[] AGE =
            durations("PT0.1S", "PT0.25S", "PT0.5S", "PT1S", "PT2S", "PT3S", "PT5S", "PT10S", "PT30S", "PT1M", "PT5M");
    /** A round trip to Slack's Web API: tens of milliseconds to its 30 s timeout. */
    private static final Duration[] WEB_API =
            durations("PT0.025S", "PT0.05S", "PT0.1S", "PT0.25S", "PT0.5S", "PT1S", "PT2.5S", "PT5S", "PT10S", "PT30S");
    /** Queued by an app to started: the pacing of a channel and Slack's rate limits make seconds to minutes. */
    private static final Duration[] QUEUE = durations(
            "PT0.005S",
            "PT0.01S",
            "PT0.05S",
            "PT0.1S",
            "PT0.5S",
            "PT1S",
            "PT2S",
            "PT5S",
            "PT10S",
            "PT30S",
            "PT1M",
            "PT5M");

    private final MeterRegistry registry;
    final Timer ackDelay;
    final Timer callQueueWait;
    /** By transport (three): looked up on the event path without building a meter id each time. */
    private final Map<String, Timer> eventWrite = new ConcurrentHashMap<>();

    private final Map<String, Timer> eventAge = new ConcurrentHashMap<>();

    BrokerHistograms(MeterRegistry registry) {
        this.registry = registry;
        this.ackDelay = Timer.builder("relax.socket.mode.ack.delay")
                .description("Socket Mode envelope received to its ack sent (the event in Redis in between).")
                .serviceLevelObjectives(LOCAL)
                .register(registry);
        this.callQueueWait = Timer.builder("relax.call.queue.wait")
                .description("Calls stream: enqueued_at (the app's clock) to the first attempt.")
                .serviceLevelObjectives(QUEUE)
                .register(registry);
    }

    /** Receipt by the broker to in Redis, by transport. */
    Timer eventWrite(String transport) {
        return eventWrite.computeIfAbsent(transport, t -> Timer.builder("relax.event.write")
                .description("Event received by the broker to in Redis, by transport.")
                .tag("transport", t)
                .serviceLevelObjectives(LOCAL)
                .register(registry));
    }

    /** Slack's event time to in Redis, by transport. */
    Timer eventAge(String transport) {
        return eventAge.computeIfAbsent(transport, t -> Timer.builder("relax.event.age")
                .description("Slack's event time to the event in Redis, by transport (clock skew counts as 0).")
                .tag("transport", t)
                .serviceLevelObjectives(AGE)
                .register(registry));
    }

    /**
     * One Web API request, by method and outcome; the timers are kept, so that a request builds no meter
     * id. Methods come from apps: past {@link #MAX_METHODS} distinct names, a new one counts as {@code
     * other}, so that an app sending made-up names cannot grow the page without bound.
     */
    Timer webApiCall(String method, String outcome) {
        String tag = webApi.containsKey(method) || webApi.size() < MAX_METHODS ? method : "other";
        return webApi.computeIfAbsent(tag, m -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> Timer.builder("relax.web.api.call")
                        .description("Web API requests of the broker, by method and outcome.")
                        .tags("method", tag, "outcome", o)
                        .serviceLevelObjectives(WEB_API)
                        .register(registry));
    }

    /** Distinct Web API methods given a series of their own (Slack has about 300). */
    static final int MAX_METHODS = 400;

    private final Map<String, Map<String, Timer>> webApi = new ConcurrentHashMap<>();

    private static Duration[] durations(String... iso) {
        Duration[] out = new Duration[iso.length];
        for (int i = 0; i < iso.length; i++) {
            out[i] = Duration.parse(iso[i]);
        }
        return out;
    }
}
