/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The broker's counters and gauges, rendered in the Prometheus text format on {@code /metrics}.
 * Thread-safe; counters are {@link LongAdder}s so that the event path never contends on them.
 */
public final class BrokerMetrics {
    /** Frames received from Slack. */
    public final LongAdder framesIn = new LongAdder();
    /** Events produced from frames (before dedupe). */
    public final LongAdder eventsIn = new LongAdder();
    /** Events pushed onto the events queue by this broker. */
    public final LongAdder eventsOut = new LongAdder();
    /** Events another broker (or an earlier try of this one) had already pushed. */
    public final LongAdder eventsDeduplicated = new LongAdder();
    /** Events dropped because the in-memory buffer was full during a Redis outage. */
    public final LongAdder eventsDropped = new LongAdder();
    /** Frames that were not JSON or not understood. */
    public final LongAdder framesMalformed = new LongAdder();
    /** Failed Redis calls (writes, reads, script loads). */
    public final LongAdder redisErrors = new LongAdder();
    /** Commands received, and commands rejected as invalid. */
    public final LongAdder commandsIn = new LongAdder();

    public final LongAdder commandsRejected = new LongAdder();
    /** Messages written to Slack sockets for {@code message} commands. */
    public final LongAdder messagesSent = new LongAdder();
    /** Web API calls from the calls stream that ended well, and that failed for good. */
    public final LongAdder callsOk = new LongAdder();

    public final LongAdder callsFailed = new LongAdder();
    /** Web API call attempts that were retried (HTTP 429, 5xx, network errors). */
    public final LongAdder callsRetried = new LongAdder();
    /** Web API calls Slack answered with HTTP 429. */
    public final LongAdder callsRateLimited = new LongAdder();

    /** Socket Mode envelopes received. */
    public final LongAdder envelopesIn = new LongAdder();
    /** Socket Mode envelopes acknowledged (after their event was in Redis). */
    public final LongAdder envelopesAcked = new LongAdder();
    /** Requests to {@code /slack/...} that Slack marked as retries ({@code X-Slack-Retry-Num}). */
    public final LongAdder slackRetries = new LongAdder();

    private final Map<String, LongAdder> reconnects = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> slackRequests = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    /**
     * Starts with the JVM's own gauges: heap in use ({@code relax_jvm_heap_used_bytes}) and live threads
     * ({@code relax_jvm_threads}, platform threads: virtual ones are not counted), so that memory and
     * threads per connection can be watched (and are measured by relax-bench).
     */
    public BrokerMetrics() {
        var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        gauge("relax_jvm_heap_used_bytes", () -> memory.getHeapMemoryUsage().getUsed());
        gauge("relax_jvm_threads", threads::getThreadCount);
    }

    /** Counts a reconnect of one bot, by cause ({@code missed_pongs}, {@code goodbye}, {@code closed}, ...). */
    public void reconnect(String cause) {
        reconnects.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    public long reconnects(String cause) {
        LongAdder a = reconnects.get(cause);
        return a == null ? 0 : a.sum();
    }

    /**
     * Counts a request to the Events API, slash command or interactivity endpoint by its result
     * ({@code ok}, {@code bad_signature}, {@code stale}, {@code malformed}, ...).
     */
    public void slackRequest(String result) {
        slackRequests.computeIfAbsent(result, r -> new LongAdder()).increment();
    }

    /** Shows these results at 0 until counted, so that dashboards and alerts see them from the start. */
    public void declareSlackRequestResults(String... results) {
        for (String result : results) {
            slackRequests.computeIfAbsent(result, r -> new LongAdder());
        }
    }

    public long slackRequests(String result) {
        LongAdder a = slackRequests.get(result);
        return a == null ? 0 : a.sum();
    }

    /** Registers a gauge read at render time, such as the buffer depth or bots in a state. */
    public void gauge(String nameWithLabels, LongSupplier value) {
        gauges.put(nameWithLabels, value);
    }

    /** All metrics in the Prometheus text exposition format (version 0.0.4). */
    public String render() {
        StringBuilder out = new StringBuilder(2048);
        counter(out, "relax_frames_in_total", "Frames received from Slack.", framesIn);
        counter(out, "relax_frames_malformed_total", "Frames from Slack that could not be read.", framesMalformed);
        counter(out, "relax_events_in_total", "Events produced from Slack frames.", eventsIn);
        counter(out, "relax_events_out_total", "Events pushed to the events queue by this broker.", eventsOut);
        counter(
                out,
                "relax_events_deduplicated_total",
                "Events already pushed by another broker or try.",
                eventsDeduplicated);
        counter(out, "relax_events_dropped_total", "Events dropped because the Redis buffer was full.", eventsDropped);
        counter(out, "relax_redis_errors_total", "Failed Redis calls.", redisErrors);
        counter(out, "relax_commands_in_total", "Commands received on the pub/sub channel.", commandsIn);
        counter(
                out,
                "relax_commands_rejected_total",
                "Commands that were invalid or named an unknown bot.",
                commandsRejected);
        counter(out, "relax_messages_sent_total", "Message commands written to a Slack socket.", messagesSent);
        counter(out, "relax_socket_mode_envelopes_total", "Socket Mode envelopes received.", envelopesIn);
        counter(
                out,
                "relax_socket_mode_acks_total",
                "Socket Mode envelopes acknowledged once their event was in Redis.",
                envelopesAcked);
        out.append("# HELP relax_calls_total Web API calls finished, by result.\n# TYPE relax_calls_total counter\n");
        out.append("relax_calls_total{result=\"ok\"} ").append(callsOk.sum()).append('\n');
        out.append("relax_calls_total{result=\"error\"} ")
                .append(callsFailed.sum())
                .append('\n');
        counter(
                out,
                "relax_calls_retried_total",
                "Web API call attempts retried after 429, 5xx or a network error.",
                callsRetried);
        counter(out, "relax_calls_ratelimited_total", "Web API calls Slack answered with HTTP 429.", callsRateLimited);
        labelled(out, "relax_reconnects_total", "Reconnects of bots, by cause.", "cause", reconnects);
        labelled(
                out,
                "relax_events_api_requests_total",
                "Requests from Slack to /slack/..., by result.",
                "result",
                slackRequests);
        counter(
                out,
                "relax_events_api_retries_total",
                "Requests from Slack marked as retries (X-Slack-Retry-Num).",
                slackRetries);
        Map<String, String> typed = new TreeMap<>();
        gauges.forEach((name, v) -> typed.put(name, Long.toString(v.getAsLong())));
        String lastBase = "";
        for (Map.Entry<String, String> g : typed.entrySet()) {
            int brace = g.getKey().indexOf('{');
            String base = brace < 0 ? g.getKey() : g.getKey().substring(0, brace);
            if (!base.equals(lastBase)) {
                out.append("# TYPE ").append(base).append(" gauge\n");
                lastBase = base;
            }
            out.append(g.getKey()).append(' ').append(g.getValue()).append('\n');
        }
        return out.toString();
    }

    /** A counter with one label, its values sorted. */
    private static void labelled(
            StringBuilder out, String name, String help, String label, Map<String, LongAdder> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(values).forEach((value, n) -> out.append(name)
                .append('{')
                .append(label)
                .append("=\"")
                .append(value)
                .append("\"} ")
                .append(n.sum())
                .append('\n'));
    }

    private static void counter(StringBuilder out, String name, String help, LongAdder value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value.sum()).append('\n');
    }
}
