/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import static dev.relax.bench.Measurements.percent;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** One load phase; reconnects -1 where the broker does not say (the Go broker). */
record Phase(
        long count,
        int rate,
        long sendNanos,
        long pushNanos,
        long pushed,
        long lost,
        long duplicated,
        long reconnects,
        Histogram latency,
        double brokerCpu,
        double redisCpu) {
    /** p50 / p99 / p99.9 / max. */
    String latencyText() {
        return latencyText(latency.getValueAtPercentile(99.9)) + " / " + ms(latency.getMaxValue());
    }

    /** p50 / p99 / max: a burst's tail is its backlog, and the max says how long it took to drain. */
    String burstLatencyText() {
        return latencyText(latency.getMaxValue());
    }

    private String latencyText(long third) {
        return ms(latency.getValueAtPercentile(50)) + " / " + ms(latency.getValueAtPercentile(99)) + " / " + ms(third);
    }

    String reconnectsText() {
        return reconnects < 0 ? "n/a" : Long.toString(reconnects);
    }

    String throughputText(double rpush) {
        double rate = pushed / (pushNanos / 1e9);
        String incomplete =
                pushed < count ? String.format(Locale.ROOT, " (incomplete: %,d of %,d pushed)", pushed, count) : "";
        double sent = count / (sendNanos / 1e9);
        String fraction = Double.isNaN(rpush) ? "" : String.format(Locale.ROOT, ", %.2f of RPUSH", rate / rpush);
        return String.format(Locale.ROOT, "%,.0f/s%s%s (simulator queued %,.0f/s)", rate, fraction, incomplete, sent);
    }

    String cpuText() {
        return percent(brokerCpu) + ", "
                + (Double.isNaN(redisCpu) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", redisCpu));
    }

    String lossText() {
        return lost + ", " + duplicated;
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%,d events at %s: sent in %.2f s, pushed in %.2f s (%,d), lost %d, dup %d, reconnects %d, latency %s, cpu broker %.1f%% redis %.1f%%",
                count,
                rate == 0 ? "max" : rate + "/s",
                sendNanos / 1e9,
                pushNanos / 1e9,
                pushed,
                lost,
                duplicated,
                reconnects,
                latencyText(),
                brokerCpu,
                redisCpu);
    }
}
