/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
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
 * @param goPeer the Go broker's binary ({@code RELAX_GO_PEER}), run as the {@value #GO} column; null when unset
 */
record RunOptions(
        Profile profile,
        String brokerMode,
        List<String> transports,
        List<String> only,
        Path out,
        boolean updateDocs,
        FleetPlan fleet,
        Path goPeer) {
    /** The column of the Go broker, {@code arunthampi/relax}: the peer the other columns are compared with. */
    static final String GO = "go";

    /** The command line alone, as if {@code RELAX_GO_PEER} were unset. */
    static RunOptions parse(String... args) {
        return parse(Map.of(), args);
    }

    /** The command line and the environment ({@code RELAX_GO_PEER}: the Go broker's binary). */
    static RunOptions parse(Map<String, String> env, String... args) {
        Map<String, String> opts = parseArgs(args);
        String peer = env.getOrDefault("RELAX_GO_PEER", "").trim();
        Path goPeer = peer.isEmpty() ? null : Path.of(peer);
        Profile profile = Profile.named(opts.getOrDefault("profile", "standard"));
        if (opts.containsKey("densities")) {
            profile = profile.withDensities(opts.get("densities"));
        }
        return new RunOptions(
                profile,
                opts.getOrDefault("broker", "process"),
                columns(opts.get("transports"), goPeer),
                List.of(opts.getOrDefault("only", "rtm,density,socket-mode,relay")
                        .split(",")),
                Path.of(opts.getOrDefault("out", "relax-bench/target/bench-report.md")),
                opts.containsKey("update-docs"),
                FleetPlan.fromOptions(opts),
                goPeer);
    }

    /**
     * The report's columns: {@code option} ({@code --transports}) as given, else {@code nv,jdk}, after
     * {@value #GO} when the Go broker's binary is known. A {@value #GO} column without it is refused.
     */
    static List<String> columns(String option, Path goPeer) {
        List<String> columns = new ArrayList<>();
        if (option == null && goPeer != null) {
            columns.add(GO);
        }
        for (String c : (option == null ? "nv,jdk" : option).split(",")) {
            columns.add(c.trim());
        }
        if (goPeer == null && columns.stream().anyMatch(RunOptions::isGoPeer)) {
            throw new IllegalArgumentException("the '" + GO + "' column needs RELAX_GO_PEER, the path of the Go"
                    + " broker's binary (docs/performance.md, Against the Go broker)");
        }
        return List.copyOf(columns);
    }

    /** True for the Go broker's column: {@value #GO}, with or without broker variables. */
    static boolean isGoPeer(String column) {
        return column.split(":", 2)[0].trim().equals(GO);
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
                                : "as a separate process (`java -jar relax-broker.jar`)")
                + (transports.stream().anyMatch(RunOptions::isGoPeer)
                        ? " The Go broker (`arunthampi/relax`, column `go`): `" + goPeer
                                + "` with the same environment, Redis, simulator and load, run before ours at each size."
                        : "");
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
