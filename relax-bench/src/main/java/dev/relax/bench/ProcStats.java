/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says of a process in {@code /proc/<pid>}: resident memory, threads, and CPU time (user plus
 * system) in clock ticks. Reads nothing when /proc is missing (not Linux): then every figure is -1.
 */
record ProcStats(long rssKb, int threads, long cpuTicks) {
    /** Clock ticks per second, as {@code getconf CLK_TCK} says (100 when it cannot be asked). */
    static final long TICKS_PER_SECOND = clockTicks();

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    static ProcStats of(long pid) {
        try {
            long rss = -1;
            int threads = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            return new ProcStats(rss, threads, ticks);
        } catch (IOException | RuntimeException e) {
            return new ProcStats(-1, -1, -1);
        }
    }

    /** The sockets process {@code pid} has open ({@code /proc/<pid>/fd} links to {@code socket:[...]}), or -1. */
    static int sockets(long pid) {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            int n = 0;
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // not counted
                }
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU ticks per thread group of process {@code pid}: thread names with their trailing number cut
     * ({@code relax-timer-1} counts as {@code relax-timer}), so that a profile says which pool burns CPU.
     */
    static java.util.Map<String, Long> threadTicks(long pid) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[-#]?[0-9]+$", "");
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process ended
        }
        return out;
    }

    /** The {@code top} thread groups by CPU between two {@link #threadTicks} samples, as text. */
    static String topThreads(
            java.util.Map<String, Long> before, java.util.Map<String, Long> after, long nanos, int top) {
        return after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .map(e -> String.format(
                        java.util.Locale.ROOT,
                        "%s %.0f%%",
                        e.getKey(),
                        100.0 * e.getValue() / TICKS_PER_SECOND / (nanos / 1e9)))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Percent of one core used between {@code before} and this sample, {@code nanos} apart. */
    double cpuPercentSince(ProcStats before, long nanos) {
        if (cpuTicks < 0 || before.cpuTicks < 0 || nanos <= 0) {
            return Double.NaN;
        }
        double seconds = (cpuTicks - before.cpuTicks) / (double) TICKS_PER_SECOND;
        return 100.0 * seconds / (nanos / 1e9);
    }
}
