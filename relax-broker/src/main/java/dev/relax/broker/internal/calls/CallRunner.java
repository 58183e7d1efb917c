package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.Backoff;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.core.json.RelaxJsonException;
import dev.relax.core.protocol.CallOutcome;
import dev.relax.core.protocol.Installation;
import io.lettuce.core.RedisException;
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
    /** Between two tries of a Redis step that must succeed before the call can go on. */
    private static final Backoff REDIS_BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    /** What the queue tells a call it runs, and how the call waits. Called on the call's thread. */
    interface Turn {
        /** False once another broker took the entry over. */
        boolean ours();

        /** Redis says another broker took the entry over (or finished it): it is not this broker's any more. */
        void lose();

        /** False once the broker closes: a call that has not reached Slack is then handed over. */
        boolean open();

        /** False once an earlier call of the same channel came to this broker: it goes first. */
        boolean firstHere();

        /** How long a call whose turn has not come waits before it asks again. */
        Duration poll();

        /** Sleeps up to {@code d}; false, at once, when the broker starts closing meanwhile. */
        boolean pause(Duration d) throws InterruptedException;
    }

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
    private final ObjectMapper json;
    private final Duration interval;
    private final int maxAttempts;
    private final Backoff backoff;

    CallRunner(
            CallStore store,
            SlackWebApi slack,
            BrokerMetrics metrics,
            ObjectMapper json,
            Duration interval,
            int maxAttempts,
            Backoff backoff) {
        this.store = store;
        this.slack = slack;
        this.metrics = metrics;
        this.json = json;
        this.interval = interval;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
    }

    /**
     * Makes {@code call} and finishes its entry. Throws {@link InterruptedException} when the broker
     * abandons calls at its shutdown deadline, and a {@link RedisException} when Redis fails before the
     * call went to Slack (or once another broker took it over): either way the entry stays pending, for this
     * broker to try again or whoever takes it over. Any other failure to make the call ends it with
     * {@code invalid_call}, so that a call the broker cannot make never blocks its channel.
     */
    Ending run(CallEntry call, Turn turn) throws InterruptedException {
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
            fail(call, "invalid_call", 0, null, turn);
            return Ending.FINISHED;
        }
    }

    private Ending runChecked(CallEntry call, Turn turn) throws InterruptedException {
        CallStore.Prior prior = store.prior(call);
        if (prior.resultExists()) {
            // A call taken over from a broker that had in fact finished it: do not post twice.
            log.info("{} already has a result; acknowledging it", call);
            store.finish(call, Optional.empty());
            return Ending.FINISHED;
        }
        if (!call.problem().isEmpty()) {
            log.warn("{} is malformed ({}); failing it", call, call.problem());
            fail(call, "invalid_call", 0, null, turn);
            return Ending.FINISHED;
        }
        int attempt = prior.attemptsUnknown();
        if (attempt > 0 && !SlackMethods.safeToRepeat(call.method())) {
            log.warn(
                    "{}: attempt {} was sent to Slack and its outcome was never stored; nobody knows whether "
                            + "Slack made it: failing it with outcome_unknown rather than making it twice",
                    call,
                    attempt);
            fail(call, "outcome_unknown", attempt, null, turn);
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
        } catch (RelaxJsonException e) {
            log.warn("{}: the installation is not valid JSON ({}); failing it", call, e.getMessage());
            fail(call, "installation_not_found", 0, null, turn);
            return Ending.FINISHED;
        }
        if (installation.isEmpty()) {
            log.warn(
                    "{}: no installation {} in {}; failing it with installation_not_found",
                    call,
                    Installation.hashField(call.appId(), call.teamId()),
                    "the installations hash");
            fail(call, "installation_not_found", 0, null, turn);
            return Ending.FINISHED;
        }
        boolean repeatable = SlackMethods.safeToRepeat(call.method());
        // The latest attempt whose outcome is unknown (0: none): what the record goes back to when a later
        // attempt turns out not to have reached Slack.
        int unknown = attempt;
        boolean started = false;
        while (true) {
            Ending waited = awaitTurn(call, turn, attempt + 1, unknown, !started);
            if (waited != null) {
                return waited;
            }
            started = true;
            attempt++;
            SlackWebApi.Response response;
            try {
                response = slack.call(call.method(), installation.get().botToken(), call.params());
            } catch (IOException e) {
                pace(call);
                String error = "network: " + e.getClass().getSimpleName();
                if (SlackWebApi.neverSent(e)) {
                    unsent(call, attempt, unknown);
                } else if (!repeatable) {
                    log.warn(
                            "{}: attempt {} was sent and the connection failed before Slack answered ({}); whether"
                                    + " Slack made it is unknown: failing it with outcome_unknown rather than "
                                    + "making it twice",
                            call,
                            attempt,
                            e.getClass().getName());
                    fail(call, "outcome_unknown", attempt, null, turn);
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
            pace(call);
            if (response.ok()) {
                JsonNode body = response.body();
                String channel = body.path("channel").asText(call.channel());
                CallOutcome ok = new CallOutcome(
                        call.id(),
                        true,
                        call.method(),
                        channel,
                        body.path("ts").asText(""),
                        "",
                        attempt,
                        body.toString());
                if (finish(call, ok, turn)) {
                    metrics.callsOk.increment();
                    log.debug("{} done in {} attempt(s), ts={}", call, attempt, ok.ts());
                }
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
                    fail(call, "ratelimited", attempt, response.body(), turn);
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
                    fail(call, "outcome_unknown", attempt, response.body(), turn);
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
                unsent(call, attempt, unknown);
                Ending ended = retry(call, attempt, error, response.body(), turn);
                if (ended != null) {
                    return ended;
                }
                continue;
            }
            log.info("{} failed: {}", call, error);
            fail(call, error, attempt, response.body(), turn);
            return Ending.FINISHED;
        }
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
    private Ending awaitTurn(CallEntry call, Turn turn, int attempt, int unknown, boolean deferrable)
            throws InterruptedException {
        boolean unanswered = false;
        int failures = 0;
        while (true) {
            if (!turn.ours()) {
                log.info("{} was taken over by another broker", call);
                return Ending.LEFT;
            }
            Ending left = !turn.open() ? Ending.LEFT : deferrable && !turn.firstHere() ? Ending.DEFERRED : null;
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
                return Ending.LEFT;
            }
            turn.pause(wait < 0 ? turn.poll() : Duration.ofMillis(Math.min(wait, 60_000)));
        }
    }

    /**
     * Forgets an attempt the gate may have recorded in an answer that never came: the call is given up
     * before it left. Tried again while the broker holds the entry and is open (an earlier call goes first
     * and this one comes back later: it must not find its own record); once closing, tried once.
     */
    private void forgetUnanswered(CallEntry call, Turn turn, int attempt, int unknown) throws InterruptedException {
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
    private void unsent(CallEntry call, int attempt, int unknown) {
        try {
            store.unsent(call, attempt, unknown);
        } catch (RedisException e) {
            log.warn("{}: cannot forget attempt {}, which did not reach Slack ({})", call, attempt, e.toString());
        }
    }

    /** Restarts the pace interval; a failure only costs pacing, never the answer Slack gave. */
    private void pace(CallEntry call) {
        try {
            store.pace(call, interval);
        } catch (RedisException e) {
            log.warn("{}: cannot restart the pace of its channel ({})", call, e.toString());
        }
    }

    /**
     * Backs off before another attempt (null), or fails the call when it had its last (finished), or leaves
     * it pending when the broker closes meanwhile.
     */
    private Ending retry(CallEntry call, int attempt, String error, JsonNode body, Turn turn)
            throws InterruptedException {
        if (attempt >= maxAttempts) {
            log.warn("{} failed after {} attempts: {}", call, attempt, error);
            fail(call, error.startsWith("network") ? "network_error" : error, attempt, body, turn);
            return Ending.FINISHED;
        }
        Duration delay = backoff.ceiling(attempt - 1);
        log.info("{}: attempt {} failed ({}); retrying in {} ms", call, attempt, error, delay.toMillis());
        metrics.callsRetried.increment();
        return turn.pause(delay) ? null : Ending.LEFT;
    }

    private void fail(CallEntry call, String error, int attempts, JsonNode body, Turn turn)
            throws InterruptedException {
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
    private boolean finish(CallEntry call, CallOutcome outcome, Turn turn) throws InterruptedException {
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
                Duration delay = REDIS_BACKOFF.ceiling(failures);
                log.warn("{}: cannot store the result ({}); retrying in {} ms", call, e.toString(), delay.toMillis());
                Thread.sleep(delay.toMillis());
            }
        }
    }
}
