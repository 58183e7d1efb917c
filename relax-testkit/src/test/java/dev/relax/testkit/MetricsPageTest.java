/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class MetricsPageTest {
    private static final String PAGE = String.join(
            "\n",
            "# HELP relax_reconnects_total Reconnects of bots, by cause.",
            "# TYPE relax_reconnects_total counter",
            "relax_reconnects_total{cause=\"missed_pongs\"} 1",
            "relax_reconnects_total{cause=\"goodbye\"} 12",
            "relax_events_out_total 3",
            "relax_labels{b=\"2\",a=\"say \\\"hi\\\", then\\\\go\"} 7 1700000000000",
            "relax_ratio 0.25",
            "");

    @Test
    void readsExactValuesOfNamedSeries() {
        MetricsPage page = MetricsPage.parse(PAGE);

        assertThat(page.count("relax_reconnects_total{cause=\"missed_pongs\"}")).isEqualTo(1);
        assertThat(page.count("relax_reconnects_total{cause=\"goodbye\"}")).isEqualTo(12);
        assertThat(page.count("relax_events_out_total")).isEqualTo(3);
        assertThat(page.value("relax_ratio")).isEqualTo(0.25);
    }

    @Test
    void aSeriesIsNotMatchedByAPrefixOfItsValueOrName() {
        MetricsPage page = MetricsPage.parse(PAGE);

        // A substring search for 'cause="goodbye"} 1' would have matched the 12.
        assertThat(page.find("relax_reconnects_total{cause=\"good\"}")).isEmpty();
        assertThat(page.find("relax_events_out")).isEmpty();
        assertThat(page.find("relax_reconnects_total")).isEmpty();
    }

    @Test
    void labelsMatchInAnyOrderWithEscapes() {
        MetricsPage page = MetricsPage.parse(PAGE);

        assertThat(page.count("relax_labels{a=\"say \\\"hi\\\", then\\\\go\",b=\"2\"}"))
                .isEqualTo(7);
    }

    @Test
    void aMissingSeriesOrAFractionIsAnAssertionErrorNamingIt() {
        MetricsPage page = MetricsPage.parse(PAGE);

        assertThatThrownBy(() -> page.count("relax_nope_total"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("relax_nope_total");
        assertThatThrownBy(() -> page.count("relax_ratio"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("0.25");
    }

    private static final String HISTOGRAMS = String.join(
            "\n",
            "# HELP relax_event_write_seconds Event received to in Redis, \\\\ by transport.\\nSecond line.",
            "# TYPE relax_event_write_seconds histogram",
            "relax_event_write_seconds_bucket{transport=\"rtm\",le=\"0.001\"} 1",
            "relax_event_write_seconds_bucket{transport=\"rtm\",le=\"0.01\"} 3",
            "relax_event_write_seconds_bucket{transport=\"rtm\",le=\"+Inf\"} 4",
            "relax_event_write_seconds_count{transport=\"rtm\"} 4",
            "relax_event_write_seconds_sum{transport=\"rtm\"} 2.5",
            "relax_event_write_seconds_bucket{transport=\"events_api\",le=\"0.001\"} 0",
            "relax_event_write_seconds_bucket{transport=\"events_api\",le=\"0.01\"} 0",
            "relax_event_write_seconds_bucket{transport=\"events_api\",le=\"+Inf\"} 1",
            "relax_event_write_seconds_count{transport=\"events_api\"} 1",
            "relax_event_write_seconds_sum{transport=\"events_api\"} 0.5",
            "# HELP relax_frames_in_total Frames received from Slack.",
            "# TYPE relax_frames_in_total counter",
            "relax_frames_in_total 2.0",
            "");

    @Test
    void readsAHistogramsBucketsCountAndSumByItsLabels() {
        MetricsPage page = MetricsPage.parse(HISTOGRAMS);

        MetricsPage.Histogram rtm = page.histogram("relax_event_write_seconds{transport=\"rtm\"}");
        assertThat(rtm.count()).isEqualTo(4);
        assertThat(rtm.sum()).isEqualTo(2.5);
        assertThat(rtm.buckets())
                .containsExactly(entry(0.001, 1L), entry(0.01, 3L), entry(Double.POSITIVE_INFINITY, 4L));
        assertThat(rtm.atMost(0.01)).isEqualTo(3);
        assertThat(page.histogram("relax_event_write_seconds{transport=\"events_api\"}")
                        .atMost(0.01))
                .isZero();
        assertThatThrownBy(() -> rtm.atMost(0.5))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("0.5");
        assertThatThrownBy(() -> page.histogram("relax_event_write_seconds{transport=\"socket_mode\"}"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("socket_mode");
        // The old reading of single series still works on a histogram's lines.
        assertThat(page.count("relax_event_write_seconds_count{transport=\"rtm\"}"))
                .isEqualTo(4);
        assertThat(page.count("relax_frames_in_total")).isEqualTo(2);
    }

    @Test
    void keepsHelpAndTypeOfEachMetric() {
        MetricsPage page = MetricsPage.parse(HISTOGRAMS);

        assertThat(page.help("relax_event_write_seconds"))
                .contains("Event received to in Redis, \\ by transport.\nSecond line.");
        assertThat(page.type("relax_event_write_seconds")).contains("histogram");
        assertThat(page.help("relax_frames_in_total")).contains("Frames received from Slack.");
        assertThat(page.types())
                .containsExactly(
                        entry("relax_event_write_seconds", "histogram"), entry("relax_frames_in_total", "counter"));
        assertThat(page.help("relax_nope")).isEmpty();
    }

    @Test
    void refusesLinesItCannotRead() {
        assertThatThrownBy(() -> MetricsPage.parse("relax_x{cause=\"open} 1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> MetricsPage.parse("relax_x one\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> MetricsPage.parse("relax_x 1\nrelax_x 2\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }
}
