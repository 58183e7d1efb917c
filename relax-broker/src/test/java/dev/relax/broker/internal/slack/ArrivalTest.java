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
