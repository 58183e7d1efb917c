/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.client.EventHandler;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.internal.TraceMdc;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the handler of one event that our processing list holds: retries a handler that throws, with
 * doubling back-off, up to {@code maxAttempts} runs, then acknowledges the event (it leaves the list) or
 * dead-letters it. Once stop() gave up on it, a handler's outcome is ignored: its event goes back to the
 * queue, exactly once. Runs on the handler's (virtual) thread.
 */
final class HandlerRunner {
    private static final Logger log = LoggerFactory.getLogger(HandlerRunner.class);

    private final ConsumerSettings s;
    private final Map<Class<? extends RelaxEvent>, EventHandler<? extends RelaxEvent>> handlers;
    private final EventHandler<RelaxEvent> fallback;
    private final ProcessingList list;
    private final DeadLetters deadLetters;
    private final ConsumerState state;
    private final Pause pause;
    private final ClientTracing tracing;
    private final ConsumerMeters meters;
    private final AtomicLong handled = new AtomicLong();

    HandlerRunner(
            ConsumerSettings settings,
            Map<Class<? extends RelaxEvent>, EventHandler<? extends RelaxEvent>> handlers,
            EventHandler<RelaxEvent> fallback,
            ProcessingList list,
            DeadLetters deadLetters,
            ConsumerState state,
            Pause pause,
            ClientTracing tracing,
            ConsumerMeters meters) {
        this.s = settings;
        this.handlers = handlers;
        this.fallback = fallback;
        this.list = list;
        this.deadLetters = deadLetters;
        this.state = state;
        this.pause = pause;
        this.tracing = tracing;
        this.meters = meters;
    }

    /** Events whose handler returned and that left our processing list. */
    long handled() {
        return handled.get();
    }

    @SuppressWarnings("unchecked")
    private EventHandler<RelaxEvent> handlerFor(RelaxEvent event) {
        for (var entry : handlers.entrySet()) {
            if (entry.getKey().isInstance(event)) {
                return (EventHandler<RelaxEvent>) entry.getValue();
            }
        }
        return fallback;
    }

    /**
     * Handles {@code event}, read from {@code raw}; an event no handler takes is acknowledged unhandled. The
     * whole of it (every run of the handler) is one span, current while the handler runs, whose ids the MDC
     * holds meanwhile.
     */
    void run(String raw, RelaxEvent event) {
        Span span = tracing.handling(event, s.id());
        SpanContext ids = span.getSpanContext();
        MDC.put("team", event.teamUid());
        Handling handling = new Handling();
        try (Scope ignored = span.makeCurrent();
                TraceMdc mdc = TraceMdc.put(ids.isValid(), ids.getTraceId(), ids.getSpanId())) {
            handle(raw, event, handling);
        } finally {
            MDC.remove("team");
            ClientTracing.handled(span, handling.attempts, handling.outcome);
        }
    }

    /**
     * How the handling of one event went, for its span: unless it ended otherwise, it stays in the
     * processing list and goes back to the queue (stop() gave up on it, or Redis failed meanwhile).
     */
    private static final class Handling {
        int attempts;
        String outcome = "returned_to_queue";
    }

    private void handle(String raw, RelaxEvent event, Handling handling) {
        EventHandler<RelaxEvent> handler = handlerFor(event);
        if (handler == null) {
            log.debug("consumer {}: no handler for {}; acknowledged", s.id(), event.type());
            acknowledge(raw);
            handling.outcome = "unhandled";
            return;
        }
        Throwable last = null;
        for (int attempt = 1; attempt <= s.maxAttempts() && !state.abandoned(); attempt++) {
            handling.attempts = attempt;
            if (attempt > 1) {
                meters.retried(event.type());
            }
            long started = meters.startTime();
            Throwable failure = null;
            try {
                handler.handle(event);
            } catch (Throwable t) {
                failure = t;
            }
            // Only stop() interrupts our threads, and it sets abandoned first; any other interrupt (the
            // handler's own) is cleared so that the Redis calls and back-off below are not cut short.
            Thread.interrupted();
            meters.handlerRan(event.type(), outcome(failure), started);
            if (state.abandoned()) {
                log.info(
                        "consumer {}: handler for {} of team {} ended ({}) after stop() gave up on it; its event goes back to {}",
                        s.id(),
                        event.type(),
                        event.teamUid(),
                        failure == null ? "returned" : failure.toString(),
                        s.queue());
                handling.outcome = "returned_to_queue";
                return;
            }
            if (failure == null) {
                if (acknowledge(raw)) {
                    handled.incrementAndGet();
                    handling.outcome = "ok";
                }
                return;
            }
            last = failure;
            log.warn(
                    "consumer {}: handler for {} of team {} failed (attempt {}/{}): {}",
                    s.id(),
                    event.type(),
                    event.teamUid(),
                    attempt,
                    s.maxAttempts(),
                    failure.toString());
            if (attempt < s.maxAttempts()) {
                pause.sleep(s.retryBackoff().toMillis() << (attempt - 1));
            }
        }
        if (last != null && !state.abandoned()) {
            if (deadLetters.send(raw, last.getClass().getName() + ": " + last.getMessage(), s.maxAttempts())) {
                handling.outcome = "dead_lettered";
            }
        }
    }

    private ConsumerMeters.Outcome outcome(Throwable failure) {
        if (state.abandoned()) {
            return ConsumerMeters.Outcome.ABANDONED;
        }
        return failure == null ? ConsumerMeters.Outcome.OK : ConsumerMeters.Outcome.ERROR;
    }

    /**
     * Removes a handled event from our processing list; keeps trying while Redis is away, until stop()
     * gives up on this handler (then the event goes back to the queue). Returns whether it was removed.
     */
    private boolean acknowledge(String raw) {
        return Backoff.retry(
                        () -> {
                            list.acknowledge(raw);
                            return true;
                        },
                        state::givenUp,
                        pause,
                        s.id(),
                        "acknowledge an event")
                != null;
    }
}
