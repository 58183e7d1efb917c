/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cell of ours against the Go broker's cell of the same row, worded as issue 19's table does: {@code 3.70x
 * better}. A cell holds one figure or several ({@code 0.40 ms / 3.20 ms / 3.50 ms / 10.00 ms}, {@code 61.8% of
 * a core, 29.4%}); each gets its own verdict, in order. What stands in parentheses is detail, not compared.
 * Lower is better, except for rows of events per second into Redis.
 */
final class Ratio {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9,]*(\\.[0-9]+)?");
    private static final Pattern PARTS = Pattern.compile(" / |, ");

    private Ratio() {}

    /** Ours against theirs for {@code row}; empty when either is missing or failed, or the cells differ in shape. */
    static String compare(String row, String ours, String theirs) {
        if (ours == null || theirs == null || ours.contains("failed") || theirs.contains("failed")) {
            return "";
        }
        List<OptionalDouble> a = figures(ours);
        List<OptionalDouble> b = figures(theirs);
        if (a.isEmpty() || a.size() != b.size()) {
            return "";
        }
        boolean higherIsBetter = row.contains("into Redis");
        List<String> verdicts = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            verdicts.add(verdict(a.get(i), b.get(i), higherIsBetter));
        }
        return String.join(" / ", verdicts);
    }

    /** The cell's figures: the first number of each part outside parentheses, empty for {@code n/a}. */
    static List<OptionalDouble> figures(String cell) {
        List<OptionalDouble> out = new ArrayList<>();
        for (String part : PARTS.split(cell.replaceAll("\\([^)]*\\)", "").trim())) {
            Matcher m = NUMBER.matcher(part);
            out.add(
                    m.find()
                            ? OptionalDouble.of(Double.parseDouble(m.group().replace(",", "")))
                            : OptionalDouble.empty());
        }
        return out;
    }

    /** {@code 2.30x worse}, {@code 12x better}, {@code same}; without a factor against zero; {@code n/a}. */
    static String verdict(OptionalDouble ours, OptionalDouble theirs, boolean higherIsBetter) {
        if (ours.isEmpty() || theirs.isEmpty()) {
            return "n/a";
        }
        double o = ours.getAsDouble();
        double t = theirs.getAsDouble();
        if (o == t) {
            return "same";
        }
        String word = (higherIsBetter ? o > t : o < t) ? "better" : "worse";
        if (o <= 0 || t <= 0) {
            return word;
        }
        double factor = Math.max(o / t, t / o);
        return String.format(Locale.ROOT, factor < 10 ? "%.2fx %s" : "%.0fx %s", factor, word);
    }
}
