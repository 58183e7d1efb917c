/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the relay scenario turns the times it recorded into the figures of the report. */
class OverheadSamplesTest {
    private static final Instant POSTED = Instant.parse("2026-12-02T19:00:00Z");

    @Test
    void overheadIsTheTimeToTheFirstChunkInSlackMinusTheBackendsOwnTimeToFirstByte() {
        OverheadSamples samples = new OverheadSamples();

        // Request received 12 ms after the mention, first byte 101 ms later, in Slack 17.4 ms after that.
        samples.add(
                POSTED,
                POSTED.plusMillis(130).plusNanos(400_000),
                new TimedBackend.Timing(POSTED.plusMillis(12), POSTED.plusMillis(113)));

        assertThat(samples.count()).isEqualTo(1);
        assertThat(samples.overheadText()).isEqualTo("29.4 ms / 29.4 ms / 29.4 ms");
        assertThat(samples.firstChunkText()).isEqualTo("130.4 ms / 130.4 ms / 130.4 ms");
        assertThat(samples.backendText()).isEqualTo("101.0 ms / 101.0 ms / 101.0 ms");
        assertThat(samples.inboundText()).isEqualTo("12.0 ms / 12.0 ms / 12.0 ms");
        assertThat(samples.outboundText()).isEqualTo("17.4 ms / 17.4 ms / 17.4 ms");
    }

    @Test
    void percentilesAreNearestRankOverEverySample() {
        OverheadSamples samples = new OverheadSamples();
        for (int ms = 20; ms >= 1; ms--) { // out of order: the figures must not depend on it
            samples.add(POSTED, POSTED.plusMillis(100 + ms), new TimedBackend.Timing(POSTED, POSTED.plusMillis(100)));
        }

        assertThat(samples.overheadText()).isEqualTo("10.0 ms / 19.0 ms / 20.0 ms");
        assertThat(OverheadSamples.percentile(List.of(5L, 1L, 3L), 50)).isEqualTo(3L);
        assertThat(OverheadSamples.percentile(List.of(7L), 95)).isEqualTo(7L);
    }

    @Test
    void aLevelWithoutSamplesHasNoPercentiles() {
        assertThatThrownBy(() -> new OverheadSamples().overheadText())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no samples");
    }
}
