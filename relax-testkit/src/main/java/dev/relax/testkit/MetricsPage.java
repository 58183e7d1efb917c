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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
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
 * A series is its name and its labels; labels may be given in any order. A sample's optional timestamp is
 * ignored. {@code # HELP} and {@code # TYPE} lines are kept ({@link #help}, {@link #type}), and a histogram's
 * {@code _bucket}, {@code _count} and {@code _sum} series read as one ({@link #histogram}):
 *
 * <pre>{@code
 * MetricsPage.Histogram writes = metrics.histogram("relax_event_write_seconds{transport=\"rtm\"}");
 * assertThat(writes.count()).isEqualTo(3);
 * assertThat(writes.atMost(10.0)).isEqualTo(3);
 * }</pre>
 */
public final class MetricsPage {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String text;
    /** Canonical series (name and sorted labels) to value. */
    private final Map<String, Double> samples;
    /** Every sample line, in page order. */
    private final List<Sample> lines;
    /** Metric name to its {@code # HELP} text (unescaped) and to its {@code # TYPE}. */
    private final Map<String, String> help;

    private final Map<String, String> types;

    private MetricsPage(String text, List<Sample> lines, Map<String, String> help, Map<String, String> types) {
        this.text = text;
        this.lines = List.copyOf(lines);
        this.help = Collections.unmodifiableMap(help);
        this.types = Collections.unmodifiableMap(types);
        Map<String, Double> bySeries = new TreeMap<>();
        lines.forEach(l -> bySeries.put(l.series(), l.value()));
        this.samples = Collections.unmodifiableMap(bySeries);
    }

    /**
     * A histogram's series: the cumulative count of observations at most each upper bound ({@code le},
     * {@code +Inf} included), the count and the sum of all observations.
     *
     * @param buckets upper bound to cumulative count, in ascending order of bound
     */
    public record Histogram(NavigableMap<Double, Long> buckets, long count, double sum) {
        /** The observations at most {@code upperBound}; {@link AssertionError} when no bucket has that bound. */
        public long atMost(double upperBound) {
            Long n = buckets.get(upperBound);
            if (n == null) {
                throw new AssertionError("no bucket le=" + upperBound + "; the buckets are " + buckets.keySet());
            }
            return n;
        }
    }

    /** Reads a page in the Prometheus text format; throws {@link IllegalArgumentException} naming a line it cannot read. */
    public static MetricsPage parse(String text) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Sample> lines = new ArrayList<>();
        Map<String, String> help = new TreeMap<>();
        Map<String, String> types = new TreeMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            String l = line.strip();
            if (l.startsWith("# HELP ") || l.startsWith("# TYPE ")) {
                String[] parts = l.substring(7).split(" ", 2);
                String value = parts.length < 2 ? "" : parts[1];
                if (l.startsWith("# HELP ")) {
                    help.put(parts[0], unescape(value));
                } else {
                    types.put(parts[0], value.strip());
                }
                continue;
            }
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Sample s = Sample.read(l, lineNumber);
            if (!seen.add(s.series())) {
                throw new IllegalArgumentException("line " + lineNumber + ": series " + s.series() + " appears twice");
            }
            lines.add(s);
        }
        return new MetricsPage(text, lines, help, types);
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

    /** The {@code # HELP} text of metric {@code name} (as the page names it, {@code _total} included). */
    public Optional<String> help(String name) {
        return Optional.ofNullable(help.get(name));
    }

    /** The {@code # TYPE} of metric {@code name}: {@code counter}, {@code gauge}, {@code histogram}, ... */
    public Optional<String> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** Every metric name that has a {@code # TYPE} line, with its type. */
    public Map<String, String> types() {
        return types;
    }

    /**
     * The histogram {@code series}: its name without {@code _bucket}, its labels without {@code le}, such as
     * {@code relax_web_api_call_seconds{method="rtm.connect",outcome="ok"}}; throws {@link AssertionError}
     * when the page has no {@code _count} for it.
     */
    public Histogram histogram(String series) {
        Sample wanted = Sample.read(series + " 0", 0);
        NavigableMap<Double, Long> buckets = new TreeMap<>();
        for (Sample s : lines) {
            if (s.name().equals(wanted.name() + "_bucket") && s.labels().containsKey("le")) {
                Map<String, String> others = new TreeMap<>(s.labels());
                String le = others.remove("le");
                if (others.equals(wanted.labels())) {
                    buckets.put(
                            le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), (long) s.value());
                }
            }
        }
        String labels = wanted.series().substring(wanted.name().length());
        long count = count(wanted.name() + "_count" + labels);
        return new Histogram(
                Collections.unmodifiableNavigableMap(buckets), count, value(wanted.name() + "_sum" + labels));
    }

    /** Every series on the page, canonical ({@code name{a="1",b="2"}}, labels sorted), with its value. */
    public Map<String, Double> samples() {
        return samples;
    }

    /** The page as the broker served it. */
    public String text() {
        return text;
    }

    /** A HELP text as written: {@code \\} a backslash, {@code \n} a newline. */
    private static String unescape(String escaped) {
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\' && i + 1 < escaped.length()) {
                char n = escaped.charAt(++i);
                out.append(n == 'n' ? '\n' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "MetricsPage" + samples;
    }

    /** One sample line: {@code name{label="value",...} value [timestamp]}. */
    private record Sample(String name, Map<String, String> labels, double value) {
        String series() {
            return format(name, labels);
        }

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
            return new Sample(name, Collections.unmodifiableMap(labels), value);
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
