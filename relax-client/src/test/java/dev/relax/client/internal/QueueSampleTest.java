/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The age of the queue's oldest event, from its event_timestamp as the broker writes it. */
class QueueSampleTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private static String stamped(String type, String eventTimestamp) {
        return RelaxJson.encodeEvent(WireEvent.builder(type)
                .teamUid("T1")
                .eventTimestamp(eventTimestamp)
                .build());
    }

    @Test
    void slacksTsIsSecondsWithAFraction() {
        long then = NOW.getEpochSecond() - 90;

        assertThat(QueueSample.ageSeconds(stamped("message_new", then + ".250000"), NOW))
                .isEqualTo(89.75);
    }

    @Test
    void theBrokersClockIsNanoseconds() {
        long then = NOW.minusMillis(1500).getEpochSecond() * 1_000_000_000L + 500_000_000L;

        assertThat(QueueSample.ageSeconds(stamped("team_joined", Long.toString(then)), NOW))
                .isEqualTo(1.5);
    }

    @Test
    void aChannelJoinedIsAsOldAsTheMinuteItNames() {
        long fiveMinutesAgo = NOW.getEpochSecond() / 60 - 5;

        assertThat(QueueSample.ageSeconds(stamped("channel_joined", "channel-joined-" + fiveMinutesAgo + "-C1"), NOW))
                .isEqualTo(300.0);
    }

    @Test
    void anEventWithoutATimeHasAnUnknownAge() {
        assertThat(QueueSample.ageSeconds(stamped("channel_joined", "channel-joined-soon-C1"), NOW))
                .isNaN();
        assertThat(QueueSample.ageSeconds(stamped("message_new", ""), NOW)).isNaN();
        assertThat(QueueSample.ageSeconds("{not json", NOW)).isNaN();
    }

    @Test
    void anEventStampedAheadOfOurClockIsNoOlderThanZero() {
        String ahead = stamped("message_new", (NOW.getEpochSecond() + 5) + ".000100");

        assertThat(QueueSample.ageSeconds(ahead, NOW)).isZero();
    }

    @Test
    void anEmptyQueueHasNoLag() {
        assertThat(QueueSample.of(0, null, 3, NOW)).isEqualTo(new QueueSample(0, 0, 3));
    }
}
