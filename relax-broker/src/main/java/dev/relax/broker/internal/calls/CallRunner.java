package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.Backoff;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.core.json.RelaxJsonException;
import dev.relax.core.protocol.Installation;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one call of the stream: waits for its turn and the fleet-wide pace, calls Slack with the
 * installation's bot token, retries HTTP 429 (after {@code Retry-After}, paused on every broker through
 * the hold key), 5xx, Slack's transient errors and network errors with back-off, and finishes the entry
 * with its result. Runs on the lane's virtual thread; blocking is fine there.
 */
final class CallRunner {
    private static final Logger log = LoggerFactory.getLogger(CallRunner.class);

    /** How often a call whose turn has not come asks again. */
    private static final Duration TURN_POLL = Duration.ofMillis(100);
    /** Used when a 429 comes without a usable {@code Retry-After}. */
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /** Slack errors in an HTTP 200 answer that are worth another try (https://api.slack.com/methods/chat.postMessage). */
    private static final Set<String> TRANSIENT =
            Set.of("ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout");

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
     * Makes {@code call} and finishes its entry. Returns without finishing when interrupted (the broker is
     * closing) or when {@code stillOurs} turns false: the entry stays pending and another broker takes it.
     * A Redis failure leaves it pending too (thrown); any other failure to make the call ends it with
     * {@code invalid_call}, so that a call the broker cannot make never blocks its channel.
     */
    void run(CallEntry call, BooleanSupplier stillOurs) throws InterruptedException {
        try {
            runChecked(call, stillOurs);
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
            fail(call, "invalid_call", 0, null, stillOurs);
        }
    }

    private void runChecked(CallEntry call, BooleanSupplier stillOurs) throws InterruptedException {
        if (store.resultExists(call.id())) {
            // A call taken over from a broker that had in fact finished it: do not post twice.
            log.info("{} already has a result; acknowledging it", call);
            store.finish(call, Optional.empty());
            return;
        }
        if (!call.problem().isEmpty()) {
            log.warn("{} is malformed ({}); failing it", call, call.problem());
            fail(call, "invalid_call", 0, null, stillOurs);
            return;
        }
        Optional<Installation> installation;
        try {
            installation = store.installation(call.appId(), call.teamId());
        } catch (RelaxJsonException e) {
            log.warn("{}: the installation is not valid JSON ({}); failing it", call, e.getMessage());
            fail(call, "installation_not_found", 0, null, stillOurs);
            return;
        }
        if (installation.isEmpty()) {
            log.warn(
                    "{}: no installation {} in {}; failing it with installation_not_found",
                    call,
                    Installation.hashField(call.appId(), call.teamId()),
                    "the installations hash");
            fail(call, "installation_not_found", 0, null, stillOurs);
            return;
        }
        int attempt = 0;
        while (true) {
            if (!awaitTurn(call, stillOurs)) {
                return;
            }
            attempt++;
            SlackWebApi.Response response;
            try {
                response = slack.call(call.method(), installation.get().botToken(), call.params());
                // Slack counts from when a call arrived, which the gate cannot know: pace from the answer.
                store.pace(call, interval);
            } catch (IOException e) {
                store.pace(call, interval);
                if (!retry(call, attempt, "network: " + e.getClass().getSimpleName(), null, stillOurs)) {
                    return;
                }
                continue;
            }
            if (response.ok()) {
                JsonNode body = response.body();
                String channel = body.path("channel").asText(call.channel());
                CallOutcome ok = new CallOutcome(
                        call.id(), true, call.method(), channel, body.path("ts").asText(""), "", attempt, body);
                finish(call, ok, stillOurs);
                metrics.callsOk.increment();
                log.debug("{} done in {} attempt(s), ts={}", call, attempt, ok.ts());
                return;
            }
            if (response.status() == 429) {
                metrics.callsRateLimited.increment();
                Duration wait = response.retryAfter().filter(d -> !d.isZero()).orElse(DEFAULT_RETRY_AFTER);
                store.hold(call, wait);
                log.info(
                        "{}: Slack rate-limits {} for team {}; every broker pauses it {} ms",
                        call,
                        call.method(),
                        call.teamId(),
                        wait.toMillis());
                if (attempt >= maxAttempts) {
                    fail(call, "ratelimited", attempt, response.body(), stillOurs);
                    return;
                }
                metrics.callsRetried.increment();
                continue;
            }
            String error = response.error();
            if (response.status() >= 500 || TRANSIENT.contains(error)) {
                if (!retry(call, attempt, error, response.body(), stillOurs)) {
                    return;
                }
                continue;
            }
            log.info("{} failed: {}", call, error);
            fail(call, error, attempt, response.body(), stillOurs);
            return;
        }
    }

    /** Waits for the lane and the pace; false when the broker closes or the entry was taken over. */
    private boolean awaitTurn(CallEntry call, BooleanSupplier stillOurs) throws InterruptedException {
        while (true) {
            if (!stillOurs.getAsBoolean()) {
                log.info("{} was taken over by another broker", call);
                return false;
            }
            long wait = store.gate(call, interval);
            if (wait == 0) {
                return true;
            }
            Thread.sleep(wait < 0 ? TURN_POLL.toMillis() : Math.min(wait, 60_000));
        }
    }

    /** Backs off before another attempt, or fails the call when it had its last; false when it failed. */
    private boolean retry(CallEntry call, int attempt, String error, JsonNode body, BooleanSupplier stillOurs)
            throws InterruptedException {
        if (attempt >= maxAttempts) {
            log.warn("{} failed after {} attempts: {}", call, attempt, error);
            fail(call, error.startsWith("network") ? "network_error" : error, attempt, body, stillOurs);
            return false;
        }
        Duration delay = backoff.ceiling(attempt - 1);
        log.info("{}: attempt {} failed ({}); retrying in {} ms", call, attempt, error, delay.toMillis());
        metrics.callsRetried.increment();
        Thread.sleep(delay.toMillis());
        return true;
    }

    private void fail(CallEntry call, String error, int attempts, JsonNode body, BooleanSupplier stillOurs)
            throws InterruptedException {
        finish(
                call,
                CallOutcome.failed(call, error, attempts, body == null ? json.createObjectNode() : body),
                stillOurs);
        metrics.callsFailed.increment();
    }

    /**
     * Stores the outcome of a call Slack has answered. Retried while this broker still holds the entry:
     * given up, the entry would be taken over and the call made a second time. Throws (leaving the entry
     * pending) only once the broker closes or the entry was taken over, and says so.
     */
    private void finish(CallEntry call, CallOutcome outcome, BooleanSupplier stillOurs) throws InterruptedException {
        Backoff finishBackoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        for (int failures = 0; ; failures++) {
            try {
                store.finish(call, Optional.of(outcome));
                return;
            } catch (RuntimeException e) {
                if (!stillOurs.getAsBoolean()) {
                    log.error(
                            "{}: Slack answered ({}) but the result could not be stored ({}); the entry stays "
                                    + "pending and the broker that takes it over makes the call again",
                            call,
                            outcome.ok() ? "ok" : outcome.error(),
                            e.toString());
                    throw e;
                }
                Duration delay = finishBackoff.ceiling(failures);
                log.warn("{}: cannot store the result ({}); retrying in {} ms", call, e.toString(), delay.toMillis());
                Thread.sleep(delay.toMillis());
            }
        }
    }
}
