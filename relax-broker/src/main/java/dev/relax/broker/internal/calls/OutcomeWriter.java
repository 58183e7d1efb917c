/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.core.protocol.CallOutcome;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a call with its outcome: stores and publishes the result and removes the entry ({@link
 * CallStore#finish}), counting it as ok or failed. Runs on the call's thread.
 */
final class OutcomeWriter {
    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);

    private final CallStore store;
    private final BrokerMetrics metrics;

    OutcomeWriter(CallStore store, BrokerMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** Ends {@code call} with Slack's {@code "ok":true} answer to attempt number {@code attempts}. */
    void ok(CallEntry call, int attempts, JsonNode body, CallTurn turn) throws InterruptedException {
        String channel = body.path("channel").asText(call.channel());
        CallOutcome ok = new CallOutcome(
                call.id(), true, call.method(), channel, body.path("ts").asText(""), "", attempts, body.toString());
        if (finish(call, ok, turn)) {
            metrics.callsOk.increment();
            log.debug("{} done in {} attempt(s), ts={}", call, attempts, ok.ts());
        }
    }

    /** Ends {@code call} with {@code error}; {@code body} is Slack's answer, null when there was none. */
    void fail(CallEntry call, String error, int attempts, JsonNode body, CallTurn turn) throws InterruptedException {
        String response = body == null ? null : body.toString();
        if (finish(
                call,
                new CallOutcome(call.id(), false, call.method(), call.channel(), "", error, attempts, response),
                turn)) {
            metrics.callsFailed.increment();
        }
    }

    /**
     * Stores the outcome of a call; false when another broker stored one first (it took the entry over
     * while this one could not reach Redis): the first result stands, in the key and on the results channel
     * alike, and this one is only logged. Retried while this broker holds the entry, also while it closes,
     * up to its shutdown deadline (which interrupts): given up, the entry would be taken over and its
     * outcome be unknown. Throws (leaving the entry pending) once another broker took the entry over, and
     * says so.
     */
    private boolean finish(CallEntry call, CallOutcome outcome, CallTurn turn) throws InterruptedException {
        for (int failures = 0; ; failures++) {
            try {
                if (store.finish(call, Optional.of(outcome))) {
                    return true;
                }
                log.warn(
                        "{}: another broker stored its result first, having taken the call over while this broker"
                                + " could not reach Redis; that result stands, this broker's ({}) is dropped",
                        call,
                        outcome.ok() ? "ok, ts=" + outcome.ts() : outcome.error());
                return false;
            } catch (RedisException e) {
                if (!turn.ours()) {
                    log.error(
                            "{}: finished ({}) but the result could not be stored ({}); the entry stays "
                                    + "pending and the broker that took it over finds its outcome unknown",
                            call,
                            outcome.ok() ? "ok" : outcome.error(),
                            e.toString());
                    throw e;
                }
                Duration delay = CallGate.REDIS_BACKOFF.ceiling(failures);
                log.warn("{}: cannot store the result ({}); retrying in {} ms", call, e.toString(), delay.toMillis());
                Thread.sleep(delay.toMillis());
            }
        }
    }
}
