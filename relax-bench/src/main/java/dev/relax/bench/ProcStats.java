package dev.relax.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says of a process in {@code /proc/<pid>}: resident memory, threads, and CPU time (user plus
 * system) in clock ticks. Reads nothing when /proc is missing (not Linux): then every figure is -1.
 */
record ProcStats(long rssKb, int threads, long cpuTicks) {
    /** Clock ticks per second ({@code getconf CLK_TCK}); 100 on every Linux the harness runs on. */
    static final long TICKS_PER_SECOND = 100;

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

    /** Percent of one core used between {@code before} and this sample, {@code nanos} apart. */
    double cpuPercentSince(ProcStats before, long nanos) {
        if (cpuTicks < 0 || before.cpuTicks < 0 || nanos <= 0) {
            return Double.NaN;
        }
        double seconds = (cpuTicks - before.cpuTicks) / (double) TICKS_PER_SECOND;
        return 100.0 * seconds / (nanos / 1e9);
    }
}
