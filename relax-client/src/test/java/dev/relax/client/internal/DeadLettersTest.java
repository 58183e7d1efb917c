/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.client.DeadLetter;
import dev.relax.client.EventConsumer.Ordering;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    static final ConsumerSettings SETTINGS =
            new ConsumerSettings("q", "c1", 4, Ordering.NONE, 3, Duration.ofMillis(200), Duration.ofSeconds(10), 50);
    private static final Instant NOW = Instant.parse("2026-12-02T10:15:30Z");

    private final FakeProcessingList list = new FakeProcessingList();
    private final RecordingPause pause = new RecordingPause();
    private final List<DeadLetter> told = new ArrayList<>();
    private final AtomicBoolean givenUp = new AtomicBoolean();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeadLetters deadLetters = new DeadLetters(
            SETTINGS,
            list,
            told::add,
            Clock.fixed(NOW, ZoneOffset.UTC),
            pause,
            givenUp::get,
            new MicrometerMeters(registry).consumer("q", "c1"));

    private double deadLetters(String reason) {
        return registry.get("relax.consumer.dead.letters")
                .tags("queue", "q", "reason", reason)
                .counter()
                .count();
    }

    @Test
    void writesTheDocumentedEntryWithTheErrorRedactedAndTellsTheErrorHandler() {
        deadLetters.send("{\"type\":\"x\"}", "java.lang.IllegalStateException: bad token xoxb-123-abc", 3);

        assertThat(list.deadLetters)
                .containsExactly("{\"event\":\"{\\\"type\\\":\\\"x\\\"}\",\"error\":"
                        + "\"java.lang.IllegalStateException: bad token xoxb-****\",\"attempts\":3,"
                        + "\"consumer\":\"c1\",\"failed_at\":\"2026-12-02T10:15:30Z\"}");
        assertThat(told)
                .containsExactly(new DeadLetter(
                        "{\"type\":\"x\"}", "java.lang.IllegalStateException: bad token xoxb-****", 3, "c1", NOW));
    }

    @Test
    void retriesWhileRedisIsAwayAndTellsOnce() {
        list.failures = 2;

        deadLetters.send("e", "boom", 0);

        assertThat(pause.pauses).containsExactly(100L, 200L);
        assertThat(list.deadLetters).hasSize(1);
        assertThat(told).hasSize(1);
    }

    @Test
    void aDeadLetterAlreadyWrittenByARunWhoseReplyWasLostIsToldOnce() {
        list.deadLetterResult = 2;

        deadLetters.send("e", "boom", 3);

        assertThat(told).extracting(DeadLetter::rawEvent).containsExactly("e");
    }

    @Test
    void anEventAnotherConsumerTookBackIsNeitherWrittenNorTold() {
        list.deadLetterResult = 0;

        deadLetters.send("e", "boom", 3);

        assertThat(list.deadLetters).isEmpty();
        assertThat(told).isEmpty();
    }

    @Test
    void onceStopGaveUpTheEventIsLeftForStopToReturn() {
        list.failures = 5;
        list.onCall = () -> givenUp.set(true);

        deadLetters.send("e", "boom", 3);

        assertThat(list.deadLetters).isEmpty();
        assertThat(told).isEmpty();
        assertThat(pause.pauses).isEmpty();
    }

    @Test
    void eachDeadLetterThatExistsIsCountedOnceByReason() {
        deadLetters.send("e1", "boom", 3);
        deadLetters.send("{not json", "not a valid event", 0);
        list.deadLetterResult = 2; // written by an earlier run whose reply was lost: still this one letter
        deadLetters.send("e2", "boom", 3);
        list.deadLetterResult = 0; // taken back by another consumer: no dead letter
        deadLetters.send("e3", "boom", 3);

        assertThat(deadLetters("failed")).isEqualTo(2);
        assertThat(deadLetters("malformed")).isEqualTo(1);
    }

    @Test
    void anErrorHandlerThatThrowsDoesNotEscape() {
        DeadLetters throwing = new DeadLetters(
                SETTINGS,
                list,
                letter -> {
                    throw new IllegalStateException("alerting is down");
                },
                Clock.fixed(NOW, ZoneOffset.UTC),
                pause,
                givenUp::get,
                ConsumerMeters.NONE);

        throwing.send("e", "boom", 3);

        assertThat(list.deadLetters).hasSize(1);
    }
}
