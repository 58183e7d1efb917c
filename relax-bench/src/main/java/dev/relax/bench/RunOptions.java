/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The harness's command line (see {@link LoadHarness}), read once.
 *
 * @param brokerMode {@code process} (the broker's jar, the default) or {@code jvm}
 * @param transports the report's columns: a websocket layer each, see {@link #brokerEnv(String)}
 * @param only the scenarios to run: {@code rtm}, {@code density}, {@code socket-mode}, {@code relay}, {@code
 *     fleet} (not by default)
 * @param fleet the fleet scenario's grid
 */
record RunOptions(
        Profile profile,
        String brokerMode,
        List<String> transports,
        List<String> only,
        Path out,
        boolean updateDocs,
        FleetPlan fleet) {

    static RunOptions parse(String... args) {
        Map<String, String> opts = parseArgs(args);
        Profile profile = Profile.named(opts.getOrDefault("profile", "standard"));
        if (opts.containsKey("densities")) {
            profile = profile.withDensities(opts.get("densities"));
        }
        return new RunOptions(
                profile,
                opts.getOrDefault("broker", "process"),
                List.of(opts.getOrDefault("transports", "nv,jdk").split(",")),
                List.of(opts.getOrDefault("only", "rtm,density,socket-mode,relay")
                        .split(",")),
                Path.of(opts.getOrDefault("out", "relax-bench/target/bench-report.md")),
                opts.containsKey("update-docs"),
                FleetPlan.fromOptions(opts));
    }

    /**
     * The broker's environment for a column: no connect throttling (as the Go broker had none), quiet
     * logs, the websocket layer under test. A column is a websocket library, optionally with broker
     * variables for an A/B in one run: {@code jdk:RELAX_WRITE_LINGER=0+RELAX_PING_INTERVAL=10}. A column
     * that exports spans over OTLP without naming an endpoint ({@code jdk:OTEL_TRACES_EXPORTER=otlp})
     * exports to the harness's {@link OtlpSink}.
     */
    static Map<String, String> brokerEnv(String column) {
        String[] parts = column.split(":", 2);
        Map<String, String> env = new HashMap<>();
        env.put("RELAX_WEBSOCKET", parts[0]);
        env.put("RELAX_START_JITTER", "0");
        env.put("RELAX_LOGIN_CONCURRENCY", "512");
        env.put("RELAX_LOG_LEVEL", "warn");
        if (parts.length > 1) {
            for (String pair : parts[1].split("\\+")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + pair + "' in column '" + column + "' is not NAME=value");
                }
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        if (env.getOrDefault("OTEL_TRACES_EXPORTER", "none").contains("otlp")
                && !env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")) {
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", OtlpSink.shared().endpoint());
        }
        return env;
    }

    /** The report's first line: the date, the profile, the machine, Redis and how the broker runs. */
    String machine(RedisServer redis) {
        Runtime rt = Runtime.getRuntime();
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("?");
        } catch (IOException ignored) {
            // not Linux
        }
        return String.format(
                Locale.ROOT,
                "%s, profile `%s`: %d cores (%s), JDK %s, %s, broker %s with its default JVM settings,"
                        + " `RELAX_LOGIN_CONCURRENCY=512 RELAX_START_JITTER=0` (no connect throttling), loopback"
                        + " only. Connect times include the broker JVM's start.",
                LocalDate.now(),
                profile.name(),
                rt.availableProcessors(),
                cpu,
                Runtime.version(),
                redis.description(),
                brokerMode.equals("jvm")
                        ? "in the harness's JVM"
                        : "as a separate process (`java -jar relax-broker.jar`)");
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            if (name.equals("update-docs")) {
                out.put(name, "true");
            } else if (i + 1 < args.length) {
                out.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return out;
    }
}
