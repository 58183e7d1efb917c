/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Our figures against the Go broker's, worded as issue 19's table. */
class RatioTest {
    @Test
    void lowerLatencyIsBetterEachFigureOfTheCellOnItsOwn() {
        assertThat(Ratio.compare(
                        "RTM 1000: latency at 5,000 events/s p50 / p99 / p99.9 / max",
                        "0.38 ms / 7.30 ms / 9.00 ms / 60.00 ms",
                        "0.45 ms / 3.20 ms / 9.00 ms / 10.00 ms"))
                .isEqualTo("1.18x better / 2.28x worse / same / 6.00x worse");
    }

    @Test
    void moreEventsPerSecondIntoRedisIsBetterAndParenthesesAreNotCompared() {
        assertThat(Ratio.compare(
                        "RTM 1000: burst of 200,000 events: events/s into Redis",
                        "66,900/s, 1.78 of RPUSH (simulator queued 70,000/s)",
                        "18,100/s, 0.48 of RPUSH (simulator queued 69,000/s)"))
                .isEqualTo("3.70x better / 3.71x better");
    }

    @Test
    void aFactorOfTenOrMoreHasNoDecimalsAndZeroGetsAVerdictWithoutOne() {
        assertThat(Ratio.compare("RTM 1000: broker RSS (per team)", "630 MB (645.1 KB)", "63 MB (64.5 KB)"))
                .isEqualTo("10x worse");
        assertThat(Ratio.compare("RTM 1000: burst: lost, duplicated, reconnects", "0, 3, 0", "0, 0, n/a"))
                .isEqualTo("same / worse / n/a");
    }

    @Test
    void aFigureTheGoBrokerCannotGiveIsNotApplicable() {
        assertThat(Ratio.compare("RTM 1000: heap after GC, threads", "43 MB, 34", "n/a, 12"))
                .isEqualTo("n/a / 2.83x worse");
    }

    @Test
    void nothingToSayWhenACellIsMissingFailedOrShapedOtherwise() {
        assertThat(Ratio.compare("RTM 1000: all connected", "4.60 s", null)).isEmpty();
        assertThat(Ratio.compare("RTM 1000: all connected", "4.60 s", "failed: 9,000 of 10,000 connected after 60 s"))
                .isEmpty();
        assertThat(Ratio.compare("RTM 1000: heap after GC, threads", "43 MB, 34", "12"))
                .isEmpty();
    }

    @Test
    void theFiguresOfACellAreTheFirstNumberOfEachPartOutsideParentheses() {
        assertThat(Ratio.figures("61.8% of a core, 29.4%"))
                .containsExactly(OptionalDouble.of(61.8), OptionalDouble.of(29.4));
        assertThat(Ratio.figures("1,234 MB (12.5 KB)")).containsExactly(OptionalDouble.of(1234));
        assertThat(Ratio.figures("n/a (in-JVM)")).containsExactly(OptionalDouble.empty());
    }
}
