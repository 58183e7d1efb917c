/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the fleet scenario reads from Redis's INFO, and the per-event figures it makes of two samples. */
class RedisInfoTest {
    private static final String BEFORE =
            """
            # Commandstats\r
            cmdstat_evalsha:calls=10,usec=400,usec_per_call=40.00,rejected_calls=0,failed_calls=0\r
            cmdstat_exists:calls=1000,usec=900,usec_per_call=0.90,rejected_calls=0,failed_calls=0\r
            cmdstat_info:calls=3,usec=30,usec_per_call=10.00,rejected_calls=0,failed_calls=0\r
            \r
            # CPU\r
            used_cpu_sys:1.250000\r
            used_cpu_user:2.500000\r
            used_cpu_sys_children:9.000000\r
            \r
            # Memory\r
            used_memory:1000000\r
            used_memory_human:976.56K\r
            """;

    private static final String AFTER =
            """
            # Commandstats
            cmdstat_evalsha:calls=30,usec=1200,usec_per_call=40.00,rejected_calls=0,failed_calls=0
            cmdstat_exists:calls=5000,usec=4500,usec_per_call=0.90,rejected_calls=0,failed_calls=0
            cmdstat_rpush:calls=2000,usec=2000,usec_per_call=1.00,rejected_calls=0,failed_calls=0
            cmdstat_lpop:calls=1,usec=5,usec_per_call=5.00,rejected_calls=0,failed_calls=0
            cmdstat_info:calls=9,usec=90,usec_per_call=10.00,rejected_calls=0,failed_calls=0
            # CPU
            used_cpu_sys:1.750000
            used_cpu_user:3.000000
            # Memory
            used_memory:1300000
            """;

    @Test
    void readsCallsByCommandServerCpuWithoutChildrenAndMemory() {
        RedisInfo info = RedisInfo.parse(BEFORE);

        assertThat(info.calls()).isEqualTo(Map.of("evalsha", 10L, "exists", 1000L, "info", 3L));
        assertThat(info.cpuMicros()).isEqualTo(3_750_000L);
        assertThat(info.usedMemory()).isEqualTo(1_000_000L);
    }

    @Test
    void theDifferenceOfTwoSamplesGivesWhatEachEventCost() {
        RedisInfo delta = RedisInfo.parse(AFTER).minus(RedisInfo.parse(BEFORE));

        assertThat(delta.calls())
                .isEqualTo(Map.of("evalsha", 20L, "exists", 4000L, "rpush", 2000L, "lpop", 1L, "info", 6L));
        assertThat(delta.cpuMicrosPerEvent(2000)).isEqualTo(500.0);
        assertThat(delta.usedMemory()).isEqualTo(300_000L);
        // most first; the harness's own INFO and commands under 0.005 per event (lpop: 0.0005) left out
        assertThat(delta.callsPerEvent(2000)).isEqualTo("exists 2.00, rpush 1.00, evalsha 0.01");
    }
}
