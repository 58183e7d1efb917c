/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Doubling waits between tries against a Redis that is away: 100 ms, 200 ms, ... up to 5 s. */
final class Backoff {
    private static final Logger log = LoggerFactory.getLogger(Backoff.class);

    static final long FIRST_MILLIS = 100;
    static final long MAX_MILLIS = 5_000;

    private final Pause pause;
    private long nextMillis = FIRST_MILLIS;

    Backoff(Pause pause) {
        this.pause = pause;
    }

    /** How long the next {@link #pause()} waits. */
    long nextMillis() {
        return nextMillis;
    }

    /** Waits {@link #nextMillis()}, then doubles it (up to the cap). */
    void pause() {
        pause.sleep(nextMillis);
        nextMillis = Math.min(MAX_MILLIS, nextMillis * 2);
    }

    /** Back to the first wait, after a try that worked. */
    void reset() {
        nextMillis = FIRST_MILLIS;
    }

    /**
     * Runs {@code call} until it returns, waiting with back-off between failures, as long as
     * {@code gaveUp} is false (checked before each try and after each failure). Returns the call's result,
     * or null once {@code gaveUp} said so first. {@code what} ends "consumer c: cannot ... (error); retrying".
     */
    static <T> T retry(Supplier<T> call, BooleanSupplier gaveUp, Pause pause, String consumer, String what) {
        Backoff backoff = new Backoff(pause);
        while (!gaveUp.getAsBoolean()) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (gaveUp.getAsBoolean()) {
                    break;
                }
                log.warn("consumer {}: cannot {} ({}); retrying", consumer, what, e.toString());
                backoff.pause();
            }
        }
        return null;
    }
}
