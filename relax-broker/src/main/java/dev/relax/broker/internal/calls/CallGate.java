/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import dev.relax.broker.internal.slack.Backoff;
import io.lettuce.core.RedisException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a call go when its turn has come: it is the first live call of its channel across the fleet, the
 * method is not rate-limited in the workspace, and the channel's pace interval has passed ({@link
 * CallScripts#GATE}, which records the attempt as under way). Also keeps that record and the pace right
 * when an attempt did not leave or Slack answered. Runs on the call's thread.
 */
final class CallGate {
    private static final Logger log = LoggerFactory.getLogger(CallGate.class);
    /** Between two tries of a Redis step that must succeed before a call can go on. */
    static final Backoff REDIS_BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final CallStore store;
    private final Duration interval;

    CallGate(CallStore store, Duration interval) {
        this.store = store;
        this.interval = interval;
    }

    /**
     * Waits for the lane and the pace; null when the call may go (attempt number {@code attempt} is then
     * recorded as under way), else how the call is left. Only a call that has not started may be deferred:
     * once it has had its turn, no earlier call of the channel can come.
     *
     * <p>A gate whose answer does not come (Redis times out or the connection drops) may yet have let the
     * call go and recorded the attempt, though the request never left: the gate is asked again here, the
     * entry still held, and if the call is given up before it leaves (the broker closes, or an earlier call
     * goes first), the record goes back to {@code unknown}, so that nobody takes an attempt that never left
     * for one that may have reached Slack.
     */
    CallRunner.Ending await(CallEntry call, CallTurn turn, int attempt, int unknown, boolean deferrable)
            throws InterruptedException {
        boolean unanswered = false;
        int failures = 0;
        while (true) {
            if (!turn.ours()) {
                log.info("{} was taken over by another broker", call);
                return CallRunner.Ending.LEFT;
            }
            CallRunner.Ending left = !turn.open()
                    ? CallRunner.Ending.LEFT
                    : deferrable && !turn.firstHere() ? CallRunner.Ending.DEFERRED : null;
            if (left != null) {
                if (unanswered) {
                    forgetUnanswered(call, turn, attempt, unknown);
                }
                return left;
            }
            long wait;
            try {
                wait = store.gate(call, interval, attempt);
            } catch (RedisException e) {
                unanswered = true;
                Duration delay = REDIS_BACKOFF.ceiling(failures++);
                log.warn(
                        "{}: Redis did not answer whether it may go ({}); attempt {} has not left, asking again in"
                                + " {} ms",
                        call,
                        e.toString(),
                        attempt,
                        delay.toMillis());
                turn.pause(delay); // false when the broker closes: the next turn of the loop leaves
                continue;
            }
            failures = 0;
            if (wait == 0) {
                return null;
            }
            if (wait == CallScripts.NOT_OURS) {
                turn.lose();
                log.info("{} was taken over by another broker, or finished by one", call);
                return CallRunner.Ending.LEFT;
            }
            turn.pause(wait < 0 ? turn.poll() : Duration.ofMillis(Math.min(wait, 60_000)));
        }
    }

    /**
     * Forgets an attempt the gate may have recorded in an answer that never came: the call is given up
     * before it left. Tried again while the broker holds the entry and is open (an earlier call goes first
     * and this one comes back later: it must not find its own record); once closing, tried once.
     */
    private void forgetUnanswered(CallEntry call, CallTurn turn, int attempt, int unknown) throws InterruptedException {
        for (int failures = 0; ; failures++) {
            try {
                store.unsent(call, attempt, unknown);
                return;
            } catch (RedisException e) {
                if (!turn.ours() || !turn.open()) {
                    log.warn(
                            "{}: cannot tell Redis that attempt {} never left ({}); a broker that takes the call over"
                                    + " may end it with outcome_unknown",
                            call,
                            attempt,
                            e.toString());
                    return;
                }
                turn.pause(REDIS_BACKOFF.ceiling(failures));
            }
        }
    }

    /** Forgets an attempt that did not reach Slack; a failure leaves it recorded as unknown, the safe side. */
    void unsent(CallEntry call, int attempt, int unknown) {
        try {
            store.unsent(call, attempt, unknown);
        } catch (RedisException e) {
            log.warn("{}: cannot forget attempt {}, which did not reach Slack ({})", call, attempt, e.toString());
        }
    }

    /** Restarts the pace interval; a failure only costs pacing, never the answer Slack gave. */
    void pace(CallEntry call) {
        try {
            store.pace(call, interval);
        } catch (RedisException e) {
            log.warn("{}: cannot restart the pace of its channel ({})", call, e.toString());
        }
    }
}
