/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisRequirementTest {
    private static String info(String version) {
        return "# Server\r\nredis_version:" + version + "\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\n";
    }

    @Test
    void refusesRedisOlderThan62NamingTheVersionTheNeedAndTheAddress() {
        assertThat(RedisRequirement.problem(info("6.0.16"), "the broker", "XAUTOCLAIM", "redis://h:6379"))
                .hasValue(
                        "Redis at redis://h:6379 is version 6.0.16; the broker needs Redis 6.2 or newer (XAUTOCLAIM)");
        assertThat(RedisRequirement.problem(info("5.0.14"), "a consumer", "BLMOVE", null))
                .hasValue("Redis is version 5.0.14; a consumer needs Redis 6.2 or newer (BLMOVE)");
    }

    @Test
    void accepts62AndNewerAndServersThatDoNotSayTheirVersion() {
        for (String version : new String[] {"6.2.0", "6.2.6", "7.0.15", "7.4.1", "8.0.0", "10.1.0-rc1"}) {
            assertThat(RedisRequirement.problem(info(version), "x", "y", null))
                    .as(version)
                    .isEmpty();
        }
        assertThat(RedisRequirement.problem("# Server\r\nredis_mode:standalone\r\n", "x", "y", null))
                .isEmpty();
    }

    @Test
    void onlyARefusedInfoLeavesTheVersionUnknownWhilePassingStatesAreRetried() {
        assertThat(RedisRequirement.infoRefused("NOPERM User relax has no permissions to run the 'info' command"))
                .isTrue();
        assertThat(RedisRequirement.infoRefused("ERR unknown command 'INFO', with args beginning with: 'server'"))
                .isTrue();
        assertThat(RedisRequirement.infoRefused("LOADING Redis is loading the dataset in memory"))
                .isFalse();
        assertThat(RedisRequirement.infoRefused("BUSY Redis is busy running a script"))
                .isFalse();
        assertThat(RedisRequirement.infoRefused("MASTERDOWN Link with MASTER is down"))
                .isFalse();
    }
}
