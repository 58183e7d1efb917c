/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final RecordingPause pause = new RecordingPause();

    @Test
    void waitsDoubleFromAHundredMillisecondsUpToFiveSecondsAndStartOverAfterReset() {
        Backoff backoff = new Backoff(pause);
        for (int i = 0; i < 8; i++) {
            backoff.pause();
        }
        backoff.reset();
        backoff.pause();

        assertThat(pause.pauses).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 100L);
    }

    @Test
    void retryReturnsTheResultOfTheFirstCallThatWorksWaitingBetweenFailures() {
        AtomicInteger calls = new AtomicInteger();

        String result = Backoff.retry(
                () -> {
                    if (calls.incrementAndGet() < 4) {
                        throw new IllegalStateException("Redis is away");
                    }
                    return "done";
                },
                () -> false,
                pause,
                "c1",
                "do it");

        assertThat(result).isEqualTo("done");
        assertThat(calls).hasValue(4);
        assertThat(pause.pauses).containsExactly(100L, 200L, 400L);
    }

    @Test
    void retryMakesNoCallOnceGivenUp() {
        AtomicInteger calls = new AtomicInteger();

        Object result = Backoff.retry(calls::incrementAndGet, () -> true, pause, "c1", "do it");

        assertThat(result).isNull();
        assertThat(calls).hasValue(0);
    }

    @Test
    void retryStopsWithoutWaitingWhenGivenUpDuringAFailingCall() {
        AtomicBoolean givenUp = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();

        Object result = Backoff.retry(
                () -> {
                    calls.incrementAndGet();
                    givenUp.set(true);
                    throw new IllegalStateException("Redis is away");
                },
                givenUp::get,
                pause,
                "c1",
                "do it");

        assertThat(result).isNull();
        assertThat(calls).hasValue(1);
        assertThat(pause.pauses).isEmpty();
    }
}
