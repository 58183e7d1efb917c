/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A broker's {@code /metrics} page (the Prometheus text format), read once, so that a test asserts exact
 * values of named series instead of searching the text:
 *
 * <pre>{@code
 * MetricsPage metrics = relax.metrics();
 * assertThat(metrics.count("relax_reconnects_total{cause=\"missed_pongs\"}")).isEqualTo(1);
 * assertThat(metrics.count("relax_events_out_total")).isEqualTo(3);
 * }</pre>
 *
 * A series is its name and its labels; labels may be given in any order. Comment lines ({@code # HELP},
 * {@code # TYPE}) are skipped; a sample's optional timestamp is ignored.
 */
public final class MetricsPage {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String text;
    /** Canonical series (name and sorted labels) to value. */
    private final Map<String, Double> samples;

    private MetricsPage(String text, Map<String, Double> samples) {
        this.text = text;
        this.samples = samples;
    }

    /** Reads a page in the Prometheus text format; throws {@link IllegalArgumentException} naming a line it cannot read. */
    public static MetricsPage parse(String text) {
        Map<String, Double> samples = new TreeMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Sample s = Sample.read(l, lineNumber);
            if (samples.put(s.series(), s.value()) != null) {
                throw new IllegalArgumentException("line " + lineNumber + ": series " + s.series() + " appears twice");
            }
        }
        return new MetricsPage(text, Collections.unmodifiableMap(samples));
    }

    /** GETs {@code http://127.0.0.1:<port>/metrics} and reads it. */
    public static MetricsPage fetch(int port) {
        URI uri = URI.create("http://127.0.0.1:" + port + "/metrics");
        try {
            HttpResponse<String> r =
                    HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + r.statusCode());
            }
            return parse(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + uri, e);
        }
    }

    /** The value of {@code series}, such as {@code relax_calls_total{result="ok"}}, if the page has it. */
    public OptionalDouble find(String series) {
        Double v = samples.get(Sample.canonical(series));
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The value of {@code series}; throws {@link AssertionError} naming the series when the page lacks it. */
    public double value(String series) {
        return find(series)
                .orElseThrow(() ->
                        new AssertionError("no series " + series + " on the metrics page; it has " + samples.keySet()));
    }

    /** The value of a counter or integer gauge; throws {@link AssertionError} when absent or not whole. */
    public long count(String series) {
        double v = value(series);
        if (v != Math.rint(v) || Double.isInfinite(v)) {
            throw new AssertionError(series + " is " + v + ", not a whole number");
        }
        return (long) v;
    }

    /** Every series on the page, canonical ({@code name{a="1",b="2"}}, labels sorted), with its value. */
    public Map<String, Double> samples() {
        return samples;
    }

    /** The page as the broker served it. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return "MetricsPage" + samples;
    }

    /** One sample line: {@code name{label="value",...} value [timestamp]}. */
    private record Sample(String series, double value) {
        static Sample read(String line, int lineNumber) {
            int i = 0;
            while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            String name = line.substring(0, i);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("line " + lineNumber + ": no metric name: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i = readLabels(line, i + 1, labels, lineNumber);
            }
            String[] rest = line.substring(i).strip().split("\\s+");
            if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
                throw new IllegalArgumentException("line " + lineNumber + ": expected a value: " + line);
            }
            double value =
                    switch (rest[0]) {
                        case "+Inf" -> Double.POSITIVE_INFINITY;
                        case "-Inf" -> Double.NEGATIVE_INFINITY;
                        case "NaN" -> Double.NaN;
                        default -> {
                            try {
                                yield Double.parseDouble(rest[0]);
                            } catch (NumberFormatException e) {
                                throw new IllegalArgumentException(
                                        "line " + lineNumber + ": value is not a number: " + line);
                            }
                        }
                    };
            return new Sample(format(name, labels), value);
        }

        /** Reads {@code a="x",b="y"}} from {@code at}; returns the index after the closing brace. */
        private static int readLabels(String line, int at, Map<String, String> labels, int lineNumber) {
            int i = at;
            while (true) {
                while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
                    i++;
                }
                if (i < line.length() && line.charAt(i) == '}') {
                    return i + 1;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("line " + lineNumber + ": malformed labels: " + line);
                }
                String label = line.substring(i, eq).strip();
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < line.length()) {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                }
                if (j >= line.length()) {
                    throw new IllegalArgumentException("line " + lineNumber + ": unterminated label value: " + line);
                }
                labels.put(label, value.toString());
                i = j + 1;
            }
        }

        /** {@code series} as the page's keys are: name and labels in label order, values escaped. */
        static String canonical(String series) {
            return read(series + " 0", 0).series();
        }

        private static String format(String name, Map<String, String> labels) {
            if (labels.isEmpty()) {
                return name;
            }
            StringBuilder out = new StringBuilder(name).append('{');
            String sep = "";
            for (var e : labels.entrySet()) {
                out.append(sep)
                        .append(e.getKey())
                        .append("=\"")
                        .append(e.getValue()
                                .replace("\\", "\\\\")
                                .replace("\"", "\\\"")
                                .replace("\n", "\\n"))
                        .append('"');
                sep = ",";
            }
            return out.append('}').toString();
        }
    }
}
