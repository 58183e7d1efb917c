/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relax.client.internal.RelaxMeters;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The settings added for bounded state: checked where they are set, naming the setting and the value. */
class BuilderSettingsTest {
    private static final RelaxConfig CONFIG = RelaxConfig.builder()
            .keysWithPrefix("unit")
            .redis(RedisAddress.of("127.0.0.1", 6379))
            .build();

    @Test
    void deadLetterLimitMustKeepAtLeastOneEntry() {
        EventConsumer.Builder consumer =
                new EventConsumer.Builder(null, "q", io.opentelemetry.api.OpenTelemetry.noop(), RelaxMeters.NONE);

        assertThatThrownBy(() -> consumer.deadLetterLimit(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deadLetterLimit must be at least 1, was 0");
        assertThatCode(() -> consumer.deadLetterLimit(1)).doesNotThrowAnyException();
    }

    @Test
    void callResultTimeoutMustBePositive() {
        RelaxClient.Builder client = RelaxClient.builder(CONFIG);

        assertThatThrownBy(() -> client.callResultTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("callResultTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> client.callResultTimeout(null))
                .hasMessage("callResultTimeout must be positive, was null");
        assertThatCode(() -> client.callResultTimeout(Duration.ofMillis(1))).doesNotThrowAnyException();
    }
}
