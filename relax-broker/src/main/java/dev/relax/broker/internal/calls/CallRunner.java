/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.Backoff;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.core.RelaxException;
import dev.relax.core.internal.TraceMdc;
import dev.relax.core.protocol.Installation;
import io.lettuce.core.RedisException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one call of the stream: waits for its turn and the fleet-wide pace, calls Slack with the
 * installation's bot token, retries with back-off what failed, and finishes the entry with its result.
 * Runs on its lane's virtual thread; blocking is fine there.
 *
 * <p>Each attempt is recorded in Redis as under way before the request leaves (by the gate script), and
 * forgotten once its outcome is known. An attempt whose outcome is unknown may have been carried out by
 * Slack: a call taken over with such a record, or whose own attempt failed after the request left (an HTTP
 * 5xx, {@code internal_error} or {@code fatal_error}, a timeout or a connection cut before the answer), is
 * made again only when that is harmless ({@link SlackMethods#safeToRepeat}), else it ends with {@code
 * outcome_unknown}. What Slack did not carry out is always tried again: HTTP 429 (after {@code
 * Retry-After}, paused on every broker through the hold key), {@code ratelimited}, {@code
 * service_unavailable}, {@code request_timeout}, and a request that never left (no connection).
 */
final class CallRunner {
    private static final Logger log = LoggerFactory.getLogger(CallRunner.class);

    /** An installation read longer ago than this is read again before an attempt. */
    private static final Duration STALE_INSTALLATION = Duration.ofMillis(500);
    /** Used when a 429 comes without a usable {@code Retry-After}. */
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /**
     * Slack's errors after which the call may have been carried out: "It's possible some aspect of the
     * operation succeeded before the error was raised" (https://api.slack.com/methods/chat.postMessage,
     * errors). Any HTTP 5xx counts the same: Slack's own errors come so too, and a gateway's 502 or 504 can
     * come after the request was passed on.
     */
    private static final Set<String> MAYBE_MADE = Set.of("internal_error", "fatal_error");
    /**
     * Slack's errors in an HTTP 200 answer after which the call was not carried out, worth another try:
     * rate-limited, unavailable, or {@code request_timeout} ("the POST data was either missing or
     * truncated", https://api.slack.com/methods/chat.postMessage, errors).
     */
    private static final Set<String> NOT_MADE = Set.of("ratelimited", "service_unavailable", "request_timeout");

    /** How {@link #run} left the call. */
    enum Ending {
        /** Its result is stored (or was already) and the entry is gone. */
        FINISHED,
        /** Still pending: the broker closes, or another broker took it over. */
        LEFT,
        /** Not started: an earlier call of its channel came to this broker and goes first. */
        DEFERRED
    }

    private final CallStore store;
    private final SlackWebApi slack;
    private final BrokerMetrics metrics;
    private final CallGate gate;
    private final OutcomeWriter outcomes;
    private final int maxAttempts;
    private final ExpiredTokens tokens;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    CallRunner(
            CallStore store,
            SlackWebApi slack,
            BrokerMetrics metrics,
            Duration interval,
            int maxAttempts,
            ExpiredTokens tokens) {
        this.tokens = tokens;
        this.store = store;
        this.slack = slack;
        this.metrics = metrics;
        this.gate = new CallGate(store, interval);
        this.outcomes = new OutcomeWriter(store, metrics);
        this.maxAttempts = maxAttempts;
    }

    /**
     * Makes {@code call} and finishes its entry. Throws {@link InterruptedException} when the broker
     * abandons calls at its shutdown deadline, and a {@link RedisException} when Redis fails before the
     * call went to Slack (or once another broker took it over): either way the entry stays pending, for this
     * broker to try again or whoever takes it over. Any other failure to make the call ends it with
     * {@code invalid_call}, so that a call the broker cannot make never blocks its channel.
     */
    Ending run(CallEntry call, CallTurn turn) throws InterruptedException {
        // Each run of the call has its span, under the handler's that queued it; its Web API attempts are
        // children, and log lines name its trace.
        Span span = slack.tracing()
                .call(
                        call.problem().isEmpty() ? call.method() : "invalid",
                        call.appId(),
                        call.teamId(),
                        call.traceparent());
        SpanContext ids = span.getSpanContext();
        // Interrupted (the broker stops) or Redis failed: the entry stays pending for a later run.
        String ending = "left";
        try (Scope ignored = span.makeCurrent();
                TraceMdc mdc = TraceMdc.put(ids.isValid(), ids.getTraceId(), ids.getSpanId())) {
            Ending ended = runOnce(call, turn);
            ending = ended.name().toLowerCase(java.util.Locale.ROOT);
            return ended;
        } finally {
            BrokerTracing.ended(span, ending);
        }
    }

    private Ending runOnce(CallEntry call, CallTurn turn) throws InterruptedException {
        try {
            return runChecked(call, turn);
        } catch (RedisException e) {
            throw e;
        } catch (RuntimeException e) {
            // Only the type and place: the message may quote the request, bot token included (the JDK's
            // "invalid header value" does), and no redaction can tell where a malformed token ends.
            log.error(
                    "{} cannot be made ({} at {}); failing it with invalid_call",
                    call,
                    e.getClass().getName(),
                    e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
            outcomes.fail(call, "invalid_call", 0, null, turn);
            return Ending.FINISHED;
        }
    }

    private Ending runChecked(CallEntry call, CallTurn turn) throws InterruptedException {
        CallStore.Prior prior = store.prior(call);
        if (prior.resultExists()) {
            // A call taken over from a broker that had in fact finished it: do not post twice.
            log.info("{} already has a result; acknowledging it", call);
            store.finish(call, Optional.empty());
            return Ending.FINISHED;
        }
        if (!call.problem().isEmpty()) {
            log.warn("{} is malformed ({}); failing it", call, call.problem());
            outcomes.fail(call, "invalid_call", 0, null, turn);
            return Ending.FINISHED;
        }
        int attempt = prior.attemptsUnknown();
        if (attempt > 0 && !SlackMethods.safeToRepeat(call.method())) {
            log.warn(
                    "{}: attempt {} was sent to Slack and its outcome was never stored; nobody knows whether "
                            + "Slack made it: failing it with outcome_unknown rather than making it twice",
                    call,
                    attempt);
            outcomes.fail(call, "outcome_unknown", attempt, null, turn);
            return Ending.FINISHED;
        }
        if (attempt > 0) {
            log.info(
                    "{}: attempt {} was sent to Slack and its outcome was never stored; making it again ({} is"
                            + " harmless to repeat)",
                    call,
                    attempt,
                    call.method());
        }
        Optional<Installation> installation;
        try {
            installation = store.installation(call.appId(), call.teamId());
        } catch (RelaxException e) { // not valid JSON, or a token that cannot be decrypted: the message says which
            log.warn("{}: the installation cannot be read ({}); failing it", call, e.getMessage());
            outcomes.fail(call, "installation_not_found", 0, null, turn);
            return Ending.FINISHED;
        }
        if (installation.isEmpty()) {
            log.warn(
                    "{}: no installation {} in {}; failing it with installation_not_found",
                    call,
                    Installation.hashField(call.appId(), call.teamId()),
                    "the installations hash");
            outcomes.fail(call, "installation_not_found", 0, null, turn);
            return Ending.FINISHED;
        }
        boolean repeatable = SlackMethods.safeToRepeat(call.method());
        // The latest attempt whose outcome is unknown (0: none): what the record goes back to when a later
        // attempt turns out not to have reached Slack.
        int unknown = attempt;
        boolean started = false;
        // A rotating token is renewed once per run: a second token_expired fails the call.
        boolean renewed = false;
        long readAt = System.nanoTime();
        while (true) {
            Ending waited = gate.await(call, turn, attempt + 1, unknown, !started);
            if (waited != null) {
                return waited;
            }
            if (System.nanoTime() - readAt > STALE_INSTALLATION.toNanos()) {
                // The call waited its turn: a rotating token may have been refreshed meanwhile.
                installation = reread(call, installation);
                readAt = System.nanoTime();
            }
            if (attempt == 0) {
                metrics.callStarted(call.enqueuedAt());
            }
            started = true;
            attempt++;
            SlackWebApi.Response response;
            try {
                response = slack.call(call.method(), installation.get().botToken(), call.params());
            } catch (IOException e) {
                gate.pace(call);
                String error = "network: " + e.getClass().getSimpleName();
                if (SlackWebApi.neverSent(e)) {
                    gate.unsent(call, attempt, unknown);
                } else if (!repeatable) {
                    log.warn(
                            "{}: attempt {} was sent and the connection failed before Slack answered ({}); whether"
                                    + " Slack made it is unknown: failing it with outcome_unknown rather than "
                                    + "making it twice",
                            call,
                            attempt,
                            e.getClass().getName());
                    outcomes.fail(call, "outcome_unknown", attempt, null, turn);
                    return Ending.FINISHED;
                } else {
                    unknown = attempt;
                }
                Ending ended = retry(call, attempt, error, null, turn);
                if (ended != null) {
                    return ended;
                }
                continue;
            } catch (InterruptedException e) {
                log.warn(
                        "{}: the broker stopped waiting for Slack's answer at its shutdown deadline; the outcome"
                                + " is unknown",
                        call);
                throw e;
            }
            // Slack counts from when a call arrived, which the gate cannot know: pace from the answer.
            gate.pace(call);
            if (response.ok()) {
                outcomes.ok(call, attempt, response.body(), turn);
                return Ending.FINISHED;
            }
            if (response.status() == 429) {
                metrics.callsRateLimited.increment();
                Duration wait = response.retryAfter().filter(d -> !d.isZero()).orElse(DEFAULT_RETRY_AFTER);
                try {
                    store.hold(call, wait, attempt, unknown);
                } catch (RedisException e) {
                    // Only the other brokers miss the pause; this call waits at the gate, which fails too.
                    log.warn("{}: cannot pause {} for the fleet ({})", call, call.method(), e.toString());
                }
                log.info(
                        "{}: Slack rate-limits {} for team {}; every broker pauses it {} ms",
                        call,
                        call.method(),
                        call.teamId(),
                        wait.toMillis());
                if (attempt >= maxAttempts) {
                    outcomes.fail(call, "ratelimited", attempt, response.body(), turn);
                    return Ending.FINISHED;
                }
                metrics.callsRetried.increment();
                continue;
            }
            String error = response.error();
            if (response.status() >= 500 || MAYBE_MADE.contains(error)) {
                if (!repeatable) {
                    log.warn(
                            "{}: Slack answered attempt {} with {} (HTTP {}), after which it may have made the call;"
                                    + " failing it with outcome_unknown rather than making it twice",
                            call,
                            attempt,
                            error,
                            response.status());
                    outcomes.fail(call, "outcome_unknown", attempt, response.body(), turn);
                    return Ending.FINISHED;
                }
                unknown = attempt;
                Ending ended = retry(call, attempt, error, response.body(), turn);
                if (ended != null) {
                    return ended;
                }
                continue;
            }
            if (NOT_MADE.contains(error)) {
                gate.unsent(call, attempt, unknown);
                Ending ended = retry(call, attempt, error, response.body(), turn);
                if (ended != null) {
                    return ended;
                }
                continue;
            }
            if ("token_expired".equals(error) && !renewed) {
                renewed = true;
                Optional<Installation> fresh = tokens.renew(installation.get());
                if (fresh.isPresent()) {
                    // Slack refused the token, so it did not make the call: make it again with the new one.
                    log.info("{}: the bot token had expired; retrying with the refreshed one", call);
                    installation = fresh;
                    gate.unsent(call, attempt, unknown);
                    continue;
                }
            }
            log.info("{} failed: {}", call, error);
            outcomes.fail(call, error, attempt, response.body(), turn);
            return Ending.FINISHED;
        }
    }

    /** The installation as stored now, or {@code known} when it is gone or cannot be read (the attempt says). */
    private Optional<Installation> reread(CallEntry call, Optional<Installation> known) {
        try {
            Optional<Installation> now = store.installation(call.appId(), call.teamId());
            return now.isPresent() ? now : known;
        } catch (RelaxException e) {
            return known;
        }
    }

    /**
     * Backs off before another attempt (null), or fails the call when it had its last (finished), or leaves
     * it pending when the broker closes meanwhile.
     */
    private Ending retry(CallEntry call, int attempt, String error, JsonNode body, CallTurn turn)
            throws InterruptedException {
        if (attempt >= maxAttempts) {
            log.warn("{} failed after {} attempts: {}", call, attempt, error);
            outcomes.fail(call, error.startsWith("network") ? "network_error" : error, attempt, body, turn);
            return Ending.FINISHED;
        }
        Duration delay = backoff.ceiling(attempt - 1);
        log.info("{}: attempt {} failed ({}); retrying in {} ms", call, attempt, error, delay.toMillis());
        metrics.callsRetried.increment();
        return turn.pause(delay) ? null : Ending.LEFT;
    }
}
