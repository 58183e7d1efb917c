/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PendingInstallsTest {
    private Instant now = Instant.parse("2026-12-03T07:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void startsPastTheCapAreRefusedUntilTheOldestStatesExpire() {
        PendingInstalls pending = new PendingInstalls(clock, 3, Duration.ofMinutes(10));

        assertThat(pending.admit()).isTrue();
        now = now.plusSeconds(60);
        assertThat(pending.admit()).isTrue();
        assertThat(pending.admit()).isTrue();
        assertThat(pending.admit()).isFalse();

        now = now.plus(Duration.ofMinutes(9)); // the first start's state has expired, the others not
        assertThat(pending.admit()).isTrue();
        assertThat(pending.admit()).isFalse();

        now = now.plus(Duration.ofMinutes(1)); // all but the last one's
        assertThat(pending.admit()).isTrue();
        assertThat(pending.admit()).isTrue();
        assertThat(pending.admit()).isFalse();
    }
}
