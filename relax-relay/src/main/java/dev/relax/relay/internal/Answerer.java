/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.client.CallResult;
import dev.relax.client.RelaxClient;
import dev.relax.client.WebApiCall;
import dev.relax.core.event.MessageNew;
import dev.relax.relay.internal.BackendOutcome.Answered;
import dev.relax.relay.internal.BackendOutcome.CutOff;
import dev.relax.relay.internal.BackendOutcome.Errored;
import dev.relax.relay.internal.BackendOutcome.Failed;
import dev.relax.relay.internal.BackendOutcome.Failure;
import dev.relax.relay.internal.BackendOutcome.Malformed;
import dev.relax.relay.internal.BackendOutcome.Refused;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one claimed question: the thread status while the backend thinks, the optional thread context,
 * the backend call, the answer written as it arrives (a Slack app's through {@link AnswerWriter}, an RTM
 * bot's as one RTM message when complete: RTM can neither stream nor edit), the user-facing error when the
 * backend fails, and the claim finished. Runs on the consumer's handler thread; thread-safe.
 */
final class Answerer {
    private static final Logger log = LoggerFactory.getLogger(Answerer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a question waits for its thread's earlier messages before it is asked without them. */
    static final Duration CONTEXT_WAIT = Duration.ofSeconds(10);
    /** Earlier messages of the thread sent with a question, the newest kept. */
    static final int CONTEXT_MESSAGES = 50;

    static final String UNAVAILABLE = "Sorry, I can't answer right now: the service I ask is unavailable."
            + " Please try again in a few minutes.";
    static final String NO_ANSWER =
            "Sorry, I couldn't get an answer: the service I ask did not respond. Please try again.";
    static final String CUT_OFF = "Sorry, my answer was cut off: the service I ask stopped half-way.";
    static final String BROKEN = "Sorry, something went wrong while getting the answer.";
    static final String EMPTY = "Sorry, I have no answer to that.";
    /**
     * How long the Web API calls of one answer may take once the backend is done: past it (no broker
     * makes calls) the claim is released and the event handed back for a later try.
     */
    static final Duration WRITE_DEADLINE = Duration.ofMinutes(10);
    /** Tries at marking a question answered: with {@link #FINISH_BACKOFF}, up to about 20 s of Redis down. */
    static final int FINISH_TRIES = 8;

    static final Backoff FINISH_BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(8));

    private final RelaxClient relax;
    private final SlackCalls slack;
    private final BackendClient backend;
    private final QuestionClaims claims;
    private final RelaySettings settings;
    private final Clock clock;
    private final Map<String, AnswerWriter> writing;
    private final RelayMeters meters;
    private final Tracer tracer;
    private final RtmAnswers rtm;

    Answerer(
            RelaxClient relax,
            SlackCalls slack,
            BackendClient backend,
            QuestionClaims claims,
            RelaySettings settings,
            Clock clock,
            Map<String, AnswerWriter> writing,
            RelayMeters meters,
            Tracer tracer) {
        this.meters = meters;
        this.tracer = tracer;
        this.rtm = new RtmAnswers(relax, backend, settings.answers());
        this.relax = relax;
        this.slack = slack;
        this.backend = backend;
        this.claims = claims;
        this.settings = settings;
        this.clock = clock;
        this.writing = writing;
    }

    /**
     * Answers {@code asked} (claimed as {@code id}); {@code openedTs} is the message a stopped instance
     * opened for it, or empty. Returns once the answer is written or given up, and the claim finished.
     */
    void answer(MessageNew message, Triggers.Question asked, String id, String openedTs) throws InterruptedException {
        // The handler's span (EventConsumer's): every call of the answer joins its trace, whichever thread
        // queues it (the writer queues most of them from the results of earlier ones).
        Context handling = Context.current();
        SlackCalls slack = call -> {
            try (Scope ignored = handling.makeCurrent()) {
                return this.slack.call(call);
            }
        };
        Instant asked0 = questionTime(message);
        String eventId = idempotencyKey(message);
        String appId = message.appId();
        String channel = message.channelUid();
        String thread = asked.answerThreadTs();
        if (appId.isEmpty()) {
            rtm.answer(message, asked, id, eventId);
            finish(id);
            return;
        }
        if (!settings.status().isEmpty() && openedTs.isEmpty()) {
            // Shown until the answer's first message; https://api.slack.com/methods/assistant.threads.setStatus
            slack.call(new WebApiCall(
                            appId,
                            message.teamUid(),
                            "assistant.threads.setStatus",
                            channel,
                            Map.of("channel_id", channel, "thread_ts", thread, "status", settings.status())))
                    .thenAccept(r -> {
                        if (!r.ok()) {
                            log.debug("no thread status in {} ({}): {}", channel, thread, r.error());
                        }
                    });
        }
        Question question = new Question(
                eventId,
                appId,
                message.teamUid(),
                channel,
                message.userUid(),
                thread,
                asked.text(),
                asked.dm(),
                threadContext(message, appId, thread));
        AnswerTarget target =
                new AnswerTarget(appId, message.teamUid(), channel, thread, asked.dm() ? "" : message.userUid());
        AtomicBoolean visible = new AtomicBoolean();
        AnswerWriter writer = new AnswerWriter(target, slack, settings.answers(), clock, ts -> {
            if (visible.compareAndSet(false, true)) {
                meters.firstChunk(Duration.between(asked0, clock.instant()));
            }
            // Off the writer's lock and the results thread: a slow Redis must not hold up every answer.
            Thread.ofVirtual().name("relay-opened").start(() -> remember(id, ts));
        });
        writer.resume(openedTs);
        writing.put(id, writer);
        String outcomeName = "answered";
        try {
            BackendOutcome outcome = askTraced(question, new AnswerSink() {
                @Override
                public void chunk(String text) {
                    writer.append(text);
                }

                @Override
                public void whole(String text) {
                    writer.finishWith(text);
                }
            });
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("the relay stopped while answering question " + id);
            }
            String failure = outcome instanceof Answered a && a.chunks() == 0 ? EMPTY : userMessage(outcome, id);
            if (failure == null) {
                writer.finish();
            } else {
                outcomeName = kind(outcome);
                meters.backendError(outcomeName);
                writer.fail(failure);
            }
            boolean shown = writer.done().get(WRITE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            if (writer.abandoned()) {
                // The claim went to another instance: the question is its to finish, even if it stops too.
                log.info("question {} was taken over by another relay instance; not marked answered here", id);
                return;
            }
            if (!shown) {
                outcomeName = "not_shown";
                log.warn("the answer to question {} could not be shown in Slack (see above); it is not retried", id);
            }
        } catch (InterruptedException e) {
            // The relay is stopping: the answer stops as it is, and the next delivery completes it (Relay
            // releases the claim).
            writer.abandon();
            throw e;
        } catch (TimeoutException e) {
            writer.abandon();
            claims.release(id);
            throw new IllegalStateException("no broker made the Web API calls of the answer to question " + id
                    + " within " + WRITE_DEADLINE + " (are the brokers running?); the question is asked again");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the answer to question " + id + " failed", e.getCause());
        } finally {
            writing.remove(id, writer);
        }
        meters.answer(outcomeName, Duration.between(asked0, clock.instant()));
        finish(id);
    }

    /**
     * Marks the question answered, retrying while Redis fails: the answer is in Slack, so the event must
     * not be handled again (a retry of the handler would take this instance's own claim again and ask the
     * backend anew). If Redis stays down, the failure is logged and the event acknowledged all the same.
     */
    private void finish(String id) throws InterruptedException {
        if (!claims.finishRetrying(id, FINISH_TRIES, FINISH_BACKOFF)) {
            log.error(
                    "cannot mark question {} answered after {} tries (Redis down?); its answer is in Slack, but a"
                            + " redelivery of its event once the lease lapses would be answered again",
                    id,
                    FINISH_TRIES);
        }
    }

    private void remember(String id, String ts) {
        try {
            if (!claims.opened(id, ts)) {
                log.debug("the message {} of question {} is not remembered: not the first, or the claim moved", ts, id);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "cannot remember the message {} of question {} (Redis: {}); an instance that takes the question"
                            + " over would answer in a new message",
                    ts,
                    id,
                    e.toString());
        }
    }

    /** The backend call as a client span, current while it runs so that its {@code traceparent} names it. */
    private BackendOutcome askTraced(Question question, AnswerSink sink) {
        URI url = settings.backend().url();
        Span span = tracer.spanBuilder("POST backend")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", "POST")
                .setAttribute("server.address", String.valueOf(url.getHost()))
                .setAttribute("url.path", String.valueOf(url.getRawPath()))
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            BackendOutcome outcome = backend.ask(question, sink);
            if (!(outcome instanceof Answered)) {
                span.setStatus(StatusCode.ERROR, kind(outcome));
            }
            return outcome;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /** The outcome as a metric tag: {@code answered}, {@code refused}, {@code errored}, a failure's kind… */
    static String kind(BackendOutcome outcome) {
        return switch (outcome) {
            case Answered a -> "answered";
            case Refused r -> "refused";
            case Errored e -> "errored";
            case Failed f -> f.failure().name().toLowerCase(Locale.ROOT);
            case CutOff c -> "cut_off";
            case Malformed m -> "malformed";
        };
    }

    /** When the question was asked: its Slack ts; now, for one whose ts is not a time. */
    private Instant questionTime(MessageNew message) {
        try {
            BigDecimal seconds = new BigDecimal(message.ts());
            return Instant.ofEpochSecond(
                    seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        } catch (NumberFormatException | ArithmeticException e) {
            return clock.instant();
        }
    }

    /** The friendly message the user sees for {@code outcome}, or null when it is an answer. */
    static String userMessage(BackendOutcome outcome, String id) {
        return switch (outcome) {
            case Answered a -> null;
            case Refused r -> r.message();
            case Errored e -> e.message();
            case Failed f -> {
                log.warn(
                        "no answer to question {} after {} attempts: {} ({})",
                        id,
                        f.attempts(),
                        f.failure(),
                        f.detail());
                yield f.failure() == Failure.BACKEND_UNAVAILABLE ? UNAVAILABLE : NO_ANSWER;
            }
            case CutOff c -> {
                log.warn("the answer to question {} was cut off after {} chunks: {}", id, c.chunks(), c.detail());
                yield CUT_OFF;
            }
            case Malformed m -> {
                log.warn("the backend's answer to question {} breaks the contract: {}", id, m.detail());
                yield BROKEN;
            }
        };
    }

    /** Slack's event id, the backend's {@code Idempotency-Key}; the question's identity when there is none. */
    static String idempotencyKey(MessageNew message) {
        String slackEventId = message.wire().extraText("slack_event_id");
        return slackEventId.isEmpty() ? Relay.questionId(message) : slackEventId;
    }

    /**
     * The thread's earlier messages (conversations.replies), when thread context is on and the question is
     * in a thread; null when off. A failure to read them is logged and the question asked without them.
     */
    private List<Question.ThreadMessage> threadContext(MessageNew message, String appId, String thread)
            throws InterruptedException {
        if (!settings.threadContext()) {
            return null;
        }
        List<Question.ThreadMessage> earlier = new ArrayList<>();
        if (message.threadTs().isEmpty()) {
            return earlier;
        }
        // https://api.slack.com/methods/conversations.replies: the parent first, then the replies, oldest first.
        WebApiCall call = new WebApiCall(
                appId,
                message.teamUid(),
                "conversations.replies",
                message.channelUid(),
                Map.of("ts", thread, "limit", "1000"));
        try {
            CallResult result = slack.call(call).get(CONTEXT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (!result.ok()) {
                log.warn("no thread context for {} in {}: {}", thread, message.channelUid(), result.error());
                return earlier;
            }
            for (JsonNode m : JSON.readTree(result.responseJson()).path("messages")) {
                String ts = m.path("ts").asText();
                if (!before(ts, message.ts())) {
                    continue; // the question itself, and what came after it (a stopped instance's answer)
                }
                String user = m.path("user").asText();
                boolean bot =
                        m.hasNonNull("bot_id") || user.equals(message.wire().relaxBotUid());
                earlier.add(new Question.ThreadMessage(user, m.path("text").asText(), ts, bot));
            }
        } catch (ExecutionException | TimeoutException | IOException e) {
            log.warn("no thread context for {} in {}: {}", thread, message.channelUid(), e.toString());
        }
        return earlier.size() > CONTEXT_MESSAGES
                ? List.copyOf(earlier.subList(earlier.size() - CONTEXT_MESSAGES, earlier.size()))
                : earlier;
    }

    /** Whether Slack timestamp {@code ts} is before {@code other}; false when either is not one. */
    static boolean before(String ts, String other) {
        try {
            return new BigDecimal(ts).compareTo(new BigDecimal(other)) < 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
