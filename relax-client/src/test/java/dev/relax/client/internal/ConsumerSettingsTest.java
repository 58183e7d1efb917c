/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.client.EventConsumer.Ordering;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumerSettingsTest {
    private static final RelaxEvent EVENT =
            RelaxJson.decodeTypedEvent(RelaxJson.encodeEvent(WireEvent.builder("message_new")
                    .teamUid("T1")
                    .channelUid("C9")
                    .text("hi")
                    .build()));

    private static ConsumerSettings settings(Ordering ordering, Duration heartbeat) {
        return new ConsumerSettings("q", "c1", 1, ordering, 3, Duration.ZERO, heartbeat, 10);
    }

    @Test
    void eventsRunOneAtATimePerKeyOfTheirOrdering() {
        Duration beat = Duration.ofSeconds(10);

        assertThat(settings(Ordering.NONE, beat).orderingKey(EVENT)).isNull();
        assertThat(settings(Ordering.PER_TEAM, beat).orderingKey(EVENT)).isEqualTo("T1");
        assertThat(settings(Ordering.PER_CHANNEL, beat).orderingKey(EVENT)).isEqualTo("T1/C9");
    }

    @Test
    void theHeartbeatIsRefreshedEveryThirdOfItsLifeAndNotMoreOftenThanEveryHundredMilliseconds() {
        assertThat(settings(Ordering.NONE, Duration.ofSeconds(9)).beatEvery()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings(Ordering.NONE, Duration.ofMillis(240)).beatEvery()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void keysAreThoseOfTheProtocol() {
        ConsumerSettings s = settings(Ordering.NONE, Duration.ofSeconds(10));

        assertThat(s.processingKey()).isEqualTo("q:processing:c1");
        assertThat(s.heartbeatKey("c2")).isEqualTo("q:consumer:c2");
        assertThat(s.lingeringKey("c2")).isEqualTo("q:consumer:c2 lingering");
        assertThat(s.registryKey()).isEqualTo("q:consumers");
        assertThat(s.deadLetterKey()).isEqualTo("q:dead");
    }
}
