/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BrokerMetricsTest {
    private static final long NOW = 1_700_000_000_000L;
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    @Test
    void namesEveryMeterAsBeforeAndTheNewHistograms() {
        BrokerMetrics m = everyMeterOnce(new BrokerMetrics(clock, false));

        assertThat(types(m.render()))
                .containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(
                        Map.entry("relax_bots", "gauge"),
                        Map.entry("relax_buffer_depth", "gauge"),
                        Map.entry("relax_call_queue_wait_seconds", "histogram"),
                        Map.entry("relax_call_queue_wait_seconds_max", "gauge"),
                        Map.entry("relax_calls_ratelimited_total", "counter"),
                        Map.entry("relax_calls_retried_total", "counter"),
                        Map.entry("relax_calls_total", "counter"),
                        Map.entry("relax_commands_in_total", "counter"),
                        Map.entry("relax_commands_rejected_total", "counter"),
                        Map.entry("relax_event_age_seconds", "histogram"),
                        Map.entry("relax_event_age_seconds_max", "gauge"),
                        Map.entry("relax_event_write_seconds", "histogram"),
                        Map.entry("relax_event_write_seconds_max", "gauge"),
                        Map.entry("relax_events_api_body_bytes", "gauge"),
                        Map.entry("relax_events_api_requests_in_flight", "gauge"),
                        Map.entry("relax_events_api_requests_receiving", "gauge"),
                        Map.entry("relax_events_api_requests_total", "counter"),
                        Map.entry("relax_events_api_retries_total", "counter"),
                        Map.entry("relax_events_deduplicated_total", "counter"),
                        Map.entry("relax_events_dropped_total", "counter"),
                        Map.entry("relax_events_in_total", "counter"),
                        Map.entry("relax_events_out_total", "counter"),
                        Map.entry("relax_frames_in_total", "counter"),
                        Map.entry("relax_frames_malformed_total", "counter"),
                        Map.entry("relax_messages_sent_total", "counter"),
                        Map.entry("relax_reconnects_total", "counter"),
                        Map.entry("relax_redis_errors_total", "counter"),
                        Map.entry("relax_socket_mode_ack_delay_seconds", "histogram"),
                        Map.entry("relax_socket_mode_ack_delay_seconds_max", "gauge"),
                        Map.entry("relax_socket_mode_acks_total", "counter"),
                        Map.entry("relax_socket_mode_app_connections", "gauge"),
                        Map.entry("relax_socket_mode_connections", "gauge"),
                        Map.entry("relax_socket_mode_envelopes_total", "counter"),
                        Map.entry("relax_socket_mode_reconnects_total", "counter"),
                        Map.entry("relax_token_refreshes_total", "counter"),
                        Map.entry("relax_web_api_call_seconds", "histogram"),
                        Map.entry("relax_web_api_call_seconds_max", "gauge"))));
    }

    @Test
    void everyMetricHasHelpTextJvmAndProcessOnesIncluded() {
        try (BrokerMetrics m = everyMeterOnce(new BrokerMetrics(clock, true))) {
            String text = m.render();
            Map<String, String> types = types(text);
            assertThat(types)
                    .containsKeys(
                            "jvm_memory_used_bytes",
                            "jvm_threads_live_threads",
                            "jvm_gc_memory_allocated_bytes_total",
                            "jvm_classes_loaded_classes",
                            "process_cpu_usage",
                            "process_uptime_seconds",
                            "process_files_open_files",
                            "system_cpu_count")
                    .doesNotContainKeys("relax_jvm_heap_used_bytes", "relax_jvm_threads");
            Map<String, String> help = new TreeMap<>();
            text.lines().filter(l -> l.startsWith("# HELP ")).forEach(l -> {
                String[] parts = l.substring(7).split(" ", 2);
                help.put(parts[0], parts.length < 2 ? "" : parts[1].strip());
            });
            assertThat(help.keySet()).containsAll(types.keySet());
            assertThat(help).allSatisfy((name, h) -> assertThat(h).as(name).isNotBlank());
        }
    }

    @Test
    void escapesQuotesBackslashesAndNewlinesInLabelValues() {
        BrokerMetrics m = new BrokerMetrics();
        m.reconnect("say \"hi\"\\then\nbye");

        assertThat(m.render()).contains("relax_reconnects_total{cause=\"say \\\"hi\\\"\\\\then\\nbye\"} 1.0\n");
    }

    @Test
    void countsFromZeroWhatIsDeclaredAndByLabelWhatIsCounted() {
        BrokerMetrics m = new BrokerMetrics();
        m.declareSlackRequestResults("ok", "stale");
        m.slackRequest("stale");
        m.slackRequest("stale");
        m.slackRequest("bad_signature");
        m.slackRetries.increment();
        m.eventsOut.increment(7);
        m.reconnect("goodbye");
        m.reconnect("goodbye");
        m.socketModeReconnect("A1", "socket_mode_silent");

        Map<String, String> samples = samples(m.render());

        assertThat(samples)
                .containsEntry("relax_events_api_requests_total{result=\"bad_signature\"}", "1.0")
                .containsEntry("relax_events_api_requests_total{result=\"ok\"}", "0.0")
                .containsEntry("relax_events_api_requests_total{result=\"stale\"}", "2.0")
                .containsEntry("relax_events_api_retries_total", "1.0")
                .containsEntry("relax_events_out_total", "7.0")
                .containsEntry("relax_frames_in_total", "0.0")
                .containsEntry("relax_calls_total{result=\"ok\"}", "0.0")
                .containsEntry("relax_calls_total{result=\"error\"}", "0.0")
                .containsEntry("relax_reconnects_total{cause=\"goodbye\"}", "2.0")
                .containsEntry("relax_reconnects_total{cause=\"socket_mode_silent\"}", "1.0")
                .containsEntry("relax_socket_mode_reconnects_total{app=\"A1\",cause=\"socket_mode_silent\"}", "1.0");
        assertThat(m.slackRequests("stale")).isEqualTo(2);
        assertThat(m.reconnects("goodbye")).isEqualTo(2);
    }

    @Test
    void gaugesReadAtScrapeTimeWithRealLabelsAndAppGaugesGoWithTheirApp() {
        BrokerMetrics m = new BrokerMetrics();
        long[] depth = {42};
        m.bufferDepth(() -> depth[0]);
        m.bots("connected", () -> 3);
        m.bots("disabled", () -> 1);
        m.appConnections("A1", () -> 2);
        m.appConnections("A2", () -> 10);
        m.appConnections("A2", () -> 4); // the app started again: the new reading replaces the old
        depth[0] = 43;

        Map<String, String> samples = samples(m.render());
        assertThat(samples)
                .containsEntry("relax_buffer_depth", "43.0")
                .containsEntry("relax_bots{state=\"connected\"}", "3.0")
                .containsEntry("relax_bots{state=\"disabled\"}", "1.0")
                .containsEntry("relax_socket_mode_app_connections{app=\"A1\"}", "2.0")
                .containsEntry("relax_socket_mode_app_connections{app=\"A2\"}", "4.0");

        m.appGone("A1");
        assertThat(samples(m.render()))
                .doesNotContainKey("relax_socket_mode_app_connections{app=\"A1\"}")
                .containsEntry("relax_socket_mode_app_connections{app=\"A2\"}", "4.0");
    }

    @Test
    void agesEventsFromSlacksTimeAndFromReceiptClampingSkewToZero() {
        BrokerMetrics m = new BrokerMetrics(clock, false);

        m.eventStored("rtm", TimeUnit.MILLISECONDS.toNanos(3), NOW - 1_500);
        m.eventStored("rtm", TimeUnit.MILLISECONDS.toNanos(20), NOW + 4_000); // Slack's clock ahead of ours
        m.eventStored("events_api", TimeUnit.MILLISECONDS.toNanos(1), 0); // no event time: receipt only

        Map<String, String> s = samples(m.render());
        assertThat(s)
                .containsEntry("relax_event_write_seconds_count{transport=\"rtm\"}", "2")
                .containsEntry("relax_event_write_seconds_bucket{transport=\"rtm\",le=\"0.0025\"}", "0")
                .containsEntry("relax_event_write_seconds_bucket{transport=\"rtm\",le=\"0.005\"}", "1")
                .containsEntry("relax_event_write_seconds_bucket{transport=\"rtm\",le=\"0.025\"}", "2")
                .containsEntry("relax_event_write_seconds_sum{transport=\"rtm\"}", "0.023")
                .containsEntry("relax_event_write_seconds_count{transport=\"events_api\"}", "1")
                .containsEntry("relax_event_age_seconds_count{transport=\"rtm\"}", "2")
                .containsEntry("relax_event_age_seconds_bucket{transport=\"rtm\",le=\"0.1\"}", "1")
                .containsEntry("relax_event_age_seconds_bucket{transport=\"rtm\",le=\"1.0\"}", "1")
                .containsEntry("relax_event_age_seconds_bucket{transport=\"rtm\",le=\"2.0\"}", "2")
                .containsEntry("relax_event_age_seconds_sum{transport=\"rtm\"}", "1.5")
                .doesNotContainKey("relax_event_age_seconds_count{transport=\"events_api\"}");
    }

    @Test
    void timesWebApiCallsByMethodAndOutcomeWithBoundedMethodNames() {
        BrokerMetrics m = new BrokerMetrics();
        m.webApiCall("chat.postMessage", "ok", TimeUnit.MILLISECONDS.toNanos(80));
        m.webApiCall("oauth.v2.access", "http_error", TimeUnit.MILLISECONDS.toNanos(80));
        m.webApiCall("chat.postMessage\"}", "error", 1);
        m.webApiCall("nodot", "error", 1);
        m.webApiCall("a." + "b".repeat(63), "error", 1);

        Map<String, String> s = samples(m.render());
        assertThat(s)
                .containsEntry("relax_web_api_call_seconds_count{method=\"chat.postMessage\",outcome=\"ok\"}", "1")
                .containsEntry(
                        "relax_web_api_call_seconds_bucket{method=\"chat.postMessage\",outcome=\"ok\",le=\"0.05\"}",
                        "0")
                .containsEntry(
                        "relax_web_api_call_seconds_bucket{method=\"chat.postMessage\",outcome=\"ok\",le=\"0.1\"}", "1")
                .containsEntry(
                        "relax_web_api_call_seconds_count{method=\"oauth.v2.access\",outcome=\"http_error\"}", "1")
                .containsEntry("relax_web_api_call_seconds_count{method=\"other\",outcome=\"error\"}", "3");
    }

    @Test
    void measuresQueueWaitFromEnqueuedAtAndAckDelay() {
        BrokerMetrics m = new BrokerMetrics(clock, false);
        m.callStarted(NOW - 750);
        m.callStarted(0); // no enqueued_at: nothing to measure
        m.acked(TimeUnit.MILLISECONDS.toNanos(4));

        Map<String, String> s = samples(m.render());
        assertThat(s)
                .containsEntry("relax_call_queue_wait_seconds_count", "1")
                .containsEntry("relax_call_queue_wait_seconds_bucket{le=\"0.5\"}", "0")
                .containsEntry("relax_call_queue_wait_seconds_bucket{le=\"1.0\"}", "1")
                .containsEntry("relax_socket_mode_ack_delay_seconds_count", "1")
                .containsEntry("relax_socket_mode_ack_delay_seconds_bucket{le=\"0.005\"}", "1")
                .containsEntry("relax_socket_mode_ack_delay_seconds_bucket{le=\"0.0025\"}", "0");
    }

    /** Registers every gauge and records into every labelled meter once. */
    private static BrokerMetrics everyMeterOnce(BrokerMetrics m) {
        m.bufferDepth(() -> 0);
        m.bots("connected", () -> 0);
        m.socketModeConnections(() -> 0);
        m.appConnections("A1", () -> 0);
        m.eventsApiAdmission(() -> 0, () -> 0, () -> 0);
        m.reconnect("goodbye");
        m.socketModeReconnect("A1", "socket_mode_closed");
        m.declareSlackRequestResults("ok");
        m.eventStored("rtm", 1, NOW);
        m.acked(1);
        m.webApiCall("rtm.connect", "ok", 1);
        m.callStarted(NOW);
        return m;
    }

    /** Metric name to type, from the {@code # TYPE} lines. */
    private static Map<String, String> types(String text) {
        Map<String, String> types = new TreeMap<>();
        text.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> {
            List<String> parts = List.of(l.substring(7).split(" "));
            types.put(parts.get(0), parts.get(1));
        });
        return types;
    }

    /** Series (as printed) to value (as printed). */
    private static Map<String, String> samples(String text) {
        Map<String, String> samples = new TreeMap<>();
        text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> {
            int space = l.lastIndexOf(' ');
            samples.put(l.substring(0, space), l.substring(space + 1));
        });
        return samples;
    }
}
