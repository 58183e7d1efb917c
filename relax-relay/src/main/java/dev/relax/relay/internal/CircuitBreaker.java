/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps a dead backend from being hammered: closed, it lets every call through and counts consecutive
 * failures; after {@code threshold} of them it opens and refuses calls (callers fail fast) for
 * {@code coolDown}; then it lets one probe through (half-open): the probe's success closes it, its
 * failure opens it for another cool-down. Time comes from the injected clock.
 *
 * <p>Thread-safe: every method holds the instance's lock, which guards all fields.
 */
final class CircuitBreaker {
    /** Where the breaker is. */
    enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int threshold;
    private final Duration coolDown;
    private final Clock clock;

    private State state = State.CLOSED;
    private int failures;
    private Instant openedAt;
    private boolean probing;

    CircuitBreaker(int threshold, Duration coolDown, Clock clock) {
        if (threshold < 1 || coolDown.isNegative()) {
            throw new IllegalArgumentException(
                    "a breaker needs threshold >= 1 and coolDown >= 0, was " + threshold + ", " + coolDown);
        }
        this.threshold = threshold;
        this.coolDown = coolDown;
        this.clock = clock;
    }

    /**
     * Whether a call may go now. True when closed; when open, true once the cool-down is over, for one
     * probe; false while that probe is out. A caller that got true reports {@link #succeeded()},
     * {@link #failed()} or {@link #abandoned()}.
     */
    synchronized boolean tryAcquire() {
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> {
                if (clock.instant().isBefore(openedAt.plus(coolDown))) {
                    yield false;
                }
                state = State.HALF_OPEN;
                probing = true;
                yield true;
            }
            case HALF_OPEN -> {
                if (probing) {
                    yield false;
                }
                probing = true;
                yield true;
            }
        };
    }

    /** The call reached a backend that answered: closes the breaker. */
    synchronized void succeeded() {
        state = State.CLOSED;
        failures = 0;
        probing = false;
    }

    /** The call failed (5xx, timeout, connection, cut off): may open the breaker. */
    synchronized void failed() {
        failures++;
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            openedAt = clock.instant();
            probing = false;
        }
    }

    /** The call ended without a verdict on the backend (the caller was interrupted): frees the probe. */
    synchronized void abandoned() {
        probing = false;
    }

    synchronized State state() {
        return state;
    }
}
