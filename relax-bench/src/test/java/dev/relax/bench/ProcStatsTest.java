/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** /proc readings of a live process (this test's JVM), as the harness takes them of the broker. */
class ProcStatsTest {
    @Test
    void readsResidentMemoryThreadsAndCpuOfALiveProcessAndItsThreadsByName() throws Exception {
        long pid = ProcessHandle.current().pid();
        ProcStats before = ProcStats.of(pid);
        long[] sink = new long[1];
        // A thread that burns 300 ms of CPU time (however loaded the machine), named as a pool's thread
        // would be ("-7" is cut off).
        Thread spinner = Thread.ofPlatform().name("spin-probe-7").start(() -> {
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            while (mx.getCurrentThreadCpuTime() < 300_000_000L) {
                sink[0] += System.nanoTime() % 7;
            }
        });
        java.util.Map<String, Long> threadsWhileSpinning;
        do {
            threadsWhileSpinning = ProcStats.threadTicks(pid);
        } while (spinner.isAlive() && threadsWhileSpinning.getOrDefault("spin-probe", 0L) < 10);
        spinner.join();
        ProcStats after = ProcStats.of(pid);

        assertThat(after.rssKb()).isGreaterThan(10_000); // a JVM holds more than 10 MB
        assertThat(after.threads()).isGreaterThan(1);
        assertThat(after.cpuTicks()).isGreaterThan(before.cpuTicks());
        assertThat(threadsWhileSpinning.get("spin-probe")).isGreaterThanOrEqualTo(10); // 0.1 s at 100 ticks/s
    }

    @Test
    void aProcessThatIsGoneReadsAsUnknown() {
        ProcStats gone = ProcStats.of(Long.MAX_VALUE);

        assertThat(gone).isEqualTo(new ProcStats(-1, -1, -1));
        assertThat(gone.cpuPercentSince(gone, 1_000_000_000L)).isNaN();
    }
}
