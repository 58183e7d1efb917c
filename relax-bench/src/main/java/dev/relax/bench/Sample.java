/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.util.Locale;

/** A broker at rest; heap NaN and reconnects -1 where the broker does not say (the Go broker). */
record Sample(long rssKb, double heapBytes, long threads, double cpuPercent, long reconnects) {
    String rssText(int teams) {
        if (rssKb < 0) {
            return "n/a (in-JVM)";
        }
        return String.format(Locale.ROOT, "%,d MB (%.1f KB)", rssKb / 1024, rssKb / (double) teams);
    }

    String heapThreadsText() {
        return Double.isNaN(heapBytes)
                ? "n/a, " + threads
                : String.format(Locale.ROOT, "%,.0f MB, %d", heapBytes / 1048576.0, threads);
    }

    String reconnectsText() {
        return reconnects < 0 ? "n/a" : Long.toString(reconnects);
    }
}
