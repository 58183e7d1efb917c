/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The run's figures as Markdown: one table with a column per websocket layer, then one per other scenario,
 * then the tables of reports {@link #append appended} (the fleet's: a column per fleet). When the Go broker
 * is a column ({@link RunOptions#GO}), each other column is followed by its {@link Ratio} to the Go broker.
 */
final class Report {
    static final String BEGIN = "<!-- bench:begin -->";
    static final String END = "<!-- bench:end -->";

    private final List<String> columns;
    private final Function<String, String> heading;
    private final List<Report> appended = new ArrayList<>();
    private final Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> singles = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private String header = "";
    private double rpush = Double.NaN;

    Report(List<String> columns) {
        this(columns, c -> RunOptions.isGoPeer(c) ? "Go broker" : "websocket `" + c + "`");
    }

    /** A report whose main table's columns are headed {@code heading.apply(column)}. */
    Report(List<String> columns, Function<String, String> heading) {
        this.columns = columns.stream().map(String::trim).toList();
        this.heading = heading;
    }

    /** Adds {@code other}'s tables (not its header or notes) after this report's. */
    synchronized void append(Report other) {
        appended.add(other);
    }

    void header(String text) {
        header = text;
    }

    void note(String text) {
        notes.add(text);
    }

    void rpush(double rate) {
        rpush = rate;
    }

    double rpush() {
        return rpush;
    }

    /** A figure of the main table: {@code row} for websocket layer {@code column}. */
    synchronized void put(String column, String row, String value) {
        rows.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(column, value);
        System.out.println("  " + column + " | " + row + " | " + value);
    }

    /** A figure of a scenario with a table of its own. */
    synchronized void single(String section, String row, String value) {
        singles.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(row, value);
        System.out.println("  " + section + " | " + row + " | " + value);
    }

    synchronized String markdown() {
        StringBuilder out = new StringBuilder();
        out.append(header).append("\n\n");
        for (String n : notes) {
            out.append(n).append("\n\n");
        }
        out.append(tables());
        for (Report other : appended) {
            out.append(out.charAt(out.length() - 2) == '\n' ? "" : "\n").append(other.tables());
        }
        return out.toString();
    }

    private synchronized String tables() {
        StringBuilder out = new StringBuilder();
        // A run of scenarios with tables of their own only (--only socket-mode,relay) has no main table.
        if (!rows.isEmpty()) {
            String peer =
                    columns.stream().filter(RunOptions::isGoPeer).findFirst().orElse(null);
            out.append("| figure |");
            for (String c : columns) {
                out.append(' ').append(heading.apply(c)).append(" |");
                out.append(peer != null && !c.equals(peer) ? " `" + c + "` vs Go |" : "");
            }
            out.append("\n| --- |");
            for (String c : columns) {
                out.append(peer != null && !c.equals(peer) ? " --- | --- |" : " --- |");
            }
            out.append('\n');
            rows.forEach((row, values) -> {
                out.append("| ").append(row).append(" |");
                for (String c : columns) {
                    out.append(' ').append(values.getOrDefault(c, "")).append(" |");
                    if (peer != null && !c.equals(peer)) {
                        out.append(' ')
                                .append(Ratio.compare(row, values.get(c), values.get(peer)))
                                .append(" |");
                    }
                }
                out.append('\n');
            });
        }
        String separator = rows.isEmpty() ? "" : "\n";
        for (var section : singles.entrySet()) {
            out.append(separator).append("| ").append(section.getKey()).append(" | |\n| --- | --- |\n");
            section.getValue().forEach((row, value) -> out.append("| ")
                    .append(row)
                    .append(" | ")
                    .append(value)
                    .append(" |\n"));
            separator = "\n";
        }
        return out.toString();
    }

    /** Replaces what stands between the bench markers of {@code doc} with {@code table}. */
    static void replaceInDocs(Path doc, String table) throws IOException {
        String text = Files.readString(doc);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IOException(doc + " has no " + BEGIN + " ... " + END + " section");
        }
        Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + "\n" + table + text.substring(end));
    }
}
