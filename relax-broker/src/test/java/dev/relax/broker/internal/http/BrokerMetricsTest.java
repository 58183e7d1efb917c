/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BrokerMetricsTest {

    @Test
    void rendersCountersReconnectCausesAndGaugesInPrometheusText() {
        BrokerMetrics m = new BrokerMetrics();
        m.eventsOut.add(7);
        m.reconnect("goodbye");
        m.reconnect("goodbye");
        m.reconnect("missed_pongs");
        m.gauge("relax_bots{state=\"connected\"}", () -> 3);
        m.gauge("relax_bots{state=\"disabled\"}", () -> 1);
        m.gauge("relax_buffer_depth", () -> 42);

        String text = m.render();

        assertThat(text)
                .contains("# TYPE relax_events_out_total counter\nrelax_events_out_total 7\n")
                .contains("relax_reconnects_total{cause=\"goodbye\"} 2\n")
                .contains("relax_reconnects_total{cause=\"missed_pongs\"} 1\n")
                .contains(
                        "# TYPE relax_bots gauge\nrelax_bots{state=\"connected\"} 3\nrelax_bots{state=\"disabled\"} 1\n")
                .contains("relax_buffer_depth 42\n");
        assertThat(text.split("# TYPE relax_bots gauge", -1)).hasSize(2);
    }

    @Test
    void rendersSlackRequestResultsDeclaredAtZeroAndCountedAfterwards() {
        BrokerMetrics m = new BrokerMetrics();
        m.declareSlackRequestResults("ok", "stale");
        m.slackRequest("stale");
        m.slackRequest("stale");
        m.slackRequest("bad_signature");
        m.slackRetries.increment();

        String text = m.render();

        assertThat(text)
                .contains("# TYPE relax_events_api_requests_total counter\n"
                        + "relax_events_api_requests_total{result=\"bad_signature\"} 1\n"
                        + "relax_events_api_requests_total{result=\"ok\"} 0\n"
                        + "relax_events_api_requests_total{result=\"stale\"} 2\n")
                .contains("# TYPE relax_events_api_retries_total counter\nrelax_events_api_retries_total 1\n");
    }
}
