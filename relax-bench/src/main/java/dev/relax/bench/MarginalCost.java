/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cost of one more connection, per column: (RSS, heap, threads at the largest size measured) minus
 * (at the next smaller), divided by the teams between them. Unlike RSS / teams, this leaves out the JVM's
 * fixed footprint.
 */
final class MarginalCost {
    /** Idle samples by column, by teams. */
    private final Map<String, TreeMap<Integer, Sample>> samples = new HashMap<>();

    /** Notes the idle sample of {@code column} at {@code teams}. */
    void add(String column, int teams, Sample idle) {
        samples.computeIfAbsent(column, c -> new TreeMap<>()).put(teams, idle);
    }

    /** Puts the row into {@code report} when {@code column} was measured at two sizes or more. */
    void report(Report report, String column) {
        TreeMap<Integer, Sample> figures = samples.getOrDefault(column, new TreeMap<>());
        if (figures.size() < 2) {
            return;
        }
        var high = figures.lastEntry();
        var low = figures.lowerEntry(high.getKey());
        int teams = high.getKey() - low.getKey();
        Sample h = high.getValue();
        Sample l = low.getValue();
        double heapKb = (h.heapBytes() - l.heapBytes()) / 1024 / teams; // NaN for the Go broker
        report.put(
                column,
                String.format(
                        Locale.ROOT,
                        "RTM %,d → %,d: per added connection: RSS, heap, threads",
                        low.getKey(),
                        high.getKey()),
                String.format(
                        Locale.ROOT,
                        "%.1f KB, %s, %.2f",
                        (double) (h.rssKb() - l.rssKb()) / teams,
                        Double.isNaN(heapKb) ? "n/a" : String.format(Locale.ROOT, "%.1f KB", heapKb),
                        (double) (h.threads() - l.threads()) / teams));
    }
}
