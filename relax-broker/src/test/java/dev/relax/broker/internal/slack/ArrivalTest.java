/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArrivalTest {

    @Test
    void readsSlacksEventTimeAsUnixSecondsWithOrWithoutAFraction() {
        Arrival rtm = Arrival.at(Arrival.Transport.RTM, 0);
        rtm.slackTime("1700000000.123456");
        Arrival eventsApi = Arrival.at(Arrival.Transport.EVENTS_API, 0);
        eventsApi.slackTime("1700000001");

        assertThat(rtm.slackMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(eventsApi.slackMillis()).isEqualTo(1_700_000_001_000L);
    }

    @Test
    void readsSlackTimeInEveryFormBigDecimalReads() {
        String[] texts = {
            "1700000000.9999999",
            "1700000000.",
            "1700000000.5",
            "0.001",
            "1",
            ".5",
            "+17.25",
            "-3.5",
            "1.5e3",
            "1700000000.12x",
            "1234567890123456.5"
        };
        long[] expected = {
            1_700_000_000_999L,
            1_700_000_000_000L,
            1_700_000_000_500L,
            1,
            1_000,
            500,
            17_250,
            -3_500,
            1_500_000,
            0,
            1_234_567_890_123_456_500L
        };
        for (int i = 0; i < texts.length; i++) {
            Arrival a = Arrival.at(Arrival.Transport.RTM, 0);
            a.slackTime(texts[i]);
            assertThat(a.slackMillis()).as(texts[i]).isEqualTo(expected[i]);
        }
    }

    @Test
    void hasNoSlackTimeWhenItIsMissingOrNotANumber() {
        Arrival none = Arrival.at(Arrival.Transport.RTM, 0);
        Arrival empty = Arrival.at(Arrival.Transport.RTM, 0);
        empty.slackTime("");
        Arrival garbage = Arrival.at(Arrival.Transport.RTM, 0);
        garbage.slackTime("soon");

        assertThat(none.slackMillis()).isZero();
        assertThat(empty.slackMillis()).isZero();
        assertThat(garbage.slackMillis()).isZero();
    }
}
