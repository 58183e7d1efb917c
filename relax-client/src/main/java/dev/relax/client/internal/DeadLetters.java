/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.client.DeadLetter;
import dev.relax.client.ErrorHandler;
import dev.relax.core.internal.Redaction;
import dev.relax.core.json.RelaxJson;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves events that could not be handled to the dead-letter list {@code <queue>:dead} (at most
 * {@code deadLetterLimit} kept) and tells the application's {@link ErrorHandler}, once per dead letter
 * that exists: not for an event another consumer took back meanwhile, nor twice for a script run again
 * after its reply was lost.
 */
final class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final ConsumerSettings s;
    private final ProcessingList list;
    private final ErrorHandler errors;
    private final Clock clock;
    private final Pause pause;
    /** True once stop() gave up on the handlers or closed the connections: the event then goes back to the queue. */
    private final BooleanSupplier givenUp;

    private final ConsumerMeters meters;

    DeadLetters(
            ConsumerSettings settings,
            ProcessingList list,
            ErrorHandler errors,
            Clock clock,
            Pause pause,
            BooleanSupplier givenUp,
            ConsumerMeters meters) {
        this.s = settings;
        this.list = list;
        this.errors = errors;
        this.clock = clock;
        this.pause = pause;
        this.givenUp = givenUp;
        this.meters = meters;
    }

    /** The entry of the dead-letter list, as docs/protocol.md#consumers shows it. */
    static String json(DeadLetter letter) {
        return "{\"event\":" + RelaxJson.quote(letter.rawEvent()) + ",\"error\":" + RelaxJson.quote(letter.error())
                + ",\"attempts\":" + letter.attempts()
                + ",\"consumer\":" + RelaxJson.quote(letter.consumer()) + ",\"failed_at\":"
                + RelaxJson.quote(letter.failedAt().toString()) + "}";
    }

    /**
     * Dead-letters {@code raw}, which our processing list holds, after {@code attempts} runs of its handler
     * (0: it could not be read) that failed with {@code error} (redacted here); retries while Redis is away.
     * Returns whether it was dead-lettered (not when stop() gave up first or another consumer took it back).
     */
    boolean send(String raw, String error, int attempts) {
        DeadLetter letter = new DeadLetter(raw, Redaction.redact(error), attempts, s.id(), clock.instant());
        String json = json(letter);
        Long moved = Backoff.retry(
                () -> list.deadLetter(raw, json, s.deadLetterLimit()), givenUp, pause, s.id(), "dead-letter an event");
        if (moved == null) {
            log.info(
                    "consumer {}: stopped before an event could be dead-lettered; it goes back to {}",
                    s.id(),
                    s.queue());
            return false;
        }
        if (moved == 0) {
            log.warn(
                    "consumer {}: an event to dead-letter was no longer in {}: another consumer took it back; not dead-lettered",
                    s.id(),
                    s.processingKey());
            return false;
        }
        // 1, or 2: an earlier try ran in Redis and only its reply was lost
        meters.deadLettered(attempts);
        log.error(
                "consumer {}: event moved to {} after {} attempts: {} (event: {})",
                s.id(),
                s.deadLetterKey(),
                attempts,
                letter.error(),
                Redaction.excerpt(raw, 0, 160));
        try {
            errors.onError(letter);
        } catch (RuntimeException e) {
            log.warn("consumer {}: the error handler threw: {}", s.id(), e.toString());
        }
        return true;
    }
}
