/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
