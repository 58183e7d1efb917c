/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.relay.internal.BackendOutcome.CutOff;
import dev.relax.relay.internal.BackendOutcome.Failed;
import dev.relax.relay.internal.BackendOutcome.Failure;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the backend one question as the contract says (docs/relay.md): {@code POST} of the question's
 * JSON with {@code Accept}, {@code Idempotency-Key}, {@code traceparent} (from the caller's current
 * OpenTelemetry context, when it holds a valid span) and the optional bearer token; the answer, JSON or
 * Server-Sent Events, goes to the sink chunk by chunk as it arrives.
 *
 * <p>Failures worth retrying (5xx, timeouts, connection errors, a stream cut before its first chunk) are
 * retried with {@link Backoff exponential back-off and full jitter}, with the same
 * {@code Idempotency-Key}, up to {@link BackendSettings#maxAttempts()}; never once a chunk was delivered
 * (the user would see it twice). A {@link CircuitBreaker} counts failed attempts: while it is open,
 * {@link #ask} fails at once with {@link Failure#BACKEND_UNAVAILABLE} and the backend is not called.
 *
 * <pre>{@code
 * try (BackendClient backend = new BackendClient(BackendSettings.defaults(url))) {
 *     BackendOutcome outcome = backend.ask(question, chunk -> stream.append(chunk));
 * }
 * }</pre>
 *
 * <p>Thread-safe: share one client; {@link #ask} blocks the calling thread (the relay's workers are
 * virtual threads), and the HTTP client runs on virtual threads it owns. {@link #close()} frees them.
 */
final class BackendClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackendClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String ACCEPT = "text/event-stream, application/json";

    private final BackendSettings settings;
    private final CircuitBreaker breaker;
    private final RandomGenerator random;
    private final ExecutorService executor;
    private final HttpClient http;

    /** A client with the system clock and a random jitter. */
    BackendClient(BackendSettings settings) {
        this(settings, Clock.systemUTC(), RandomGenerator.getDefault());
    }

    /**
     * @param clock the breaker's time
     * @param random the back-off's jitter
     */
    BackendClient(BackendSettings settings, Clock clock, RandomGenerator random) {
        this.settings = settings;
        this.breaker = new CircuitBreaker(settings.breakerThreshold(), settings.breakerCoolDown(), clock);
        this.random = random;
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("relay-backend-", 0).factory());
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /**
     * Asks {@code question}, handing the answer's chunks to {@code sink} on this thread as they arrive;
     * returns how it ended. Never throws for what the backend does (an exception thrown by the sink ends
     * the call and reaches the caller); when this thread is interrupted it returns {@link Failed}
     * ({@link Failure#CONNECTION}) with the interrupt flag set again.
     */
    BackendOutcome ask(Question question, AnswerSink sink) {
        HttpRequest request = request(question);
        int[] delivered = {0};
        AnswerSink counting = new AnswerSink() {
            @Override
            public void chunk(String text) {
                delivered[0]++;
                sink.chunk(text);
            }

            @Override
            public void whole(String text) {
                delivered[0]++;
                sink.whole(text);
            }
        };
        for (int attempt = 1; ; attempt++) {
            if (!breaker.tryAcquire()) {
                return new Failed(Failure.BACKEND_UNAVAILABLE, attempt - 1, "the circuit breaker is open");
            }
            BackendOutcome outcome;
            try {
                outcome = attempt(request, counting);
            } catch (InterruptedException e) {
                breaker.abandoned();
                Thread.currentThread().interrupt();
                return new Failed(Failure.CONNECTION, attempt, "interrupted");
            } catch (RuntimeException e) {
                breaker.abandoned(); // the sink threw: no verdict on the backend
                throw e;
            }
            if (outcome instanceof Failed || outcome instanceof CutOff) {
                breaker.failed();
            } else {
                breaker.succeeded();
            }
            if (!(outcome instanceof Failed failed)) {
                return outcome;
            }
            if (attempt >= settings.maxAttempts() || delivered[0] > 0) {
                return new Failed(failed.failure(), attempt, failed.detail());
            }
            Duration pause = settings.backoff().delay(attempt, random);
            LOG.debug(
                    "backend attempt failed, retrying event={} attempt={} failure={} detail={} pause={}",
                    question.eventId(),
                    attempt,
                    failed.failure(),
                    failed.detail(),
                    pause);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Failed(Failure.CONNECTION, attempt, "interrupted");
            }
        }
    }

    /** The breaker's state, for health checks and tests. */
    CircuitBreaker.State breakerState() {
        return breaker.state();
    }

    private BackendOutcome attempt(HttpRequest request, AnswerSink sink) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + settings.totalTimeout().toNanos();
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> sent =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofPublisher());
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            long wait = Math.min(
                    settings.firstByteTimeout().toNanos(),
                    settings.totalTimeout().toNanos());
            response = sent.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            return new Failed(Failure.TIMEOUT, 1, "no response headers in time");
        } catch (InterruptedException e) {
            sent.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            Failure failure = cause instanceof HttpTimeoutException ? Failure.TIMEOUT : Failure.CONNECTION;
            return new Failed(failure, 1, String.valueOf(cause instanceof IOException ? cause : e));
        }
        BodyQueue body = new BodyQueue();
        response.body().subscribe(body);
        ResponseReader reader =
                new ResponseReader(body, sink, settings.idleTimeout().toNanos(), deadline);
        return reader.read(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null));
    }

    private HttpRequest request(Question question) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.url())
                .POST(HttpRequest.BodyPublishers.ofString(body(question)))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Accept", ACCEPT)
                .header("Idempotency-Key", question.eventId());
        if (settings.bearerToken() != null) {
            builder.header("Authorization", "Bearer " + settings.bearerToken());
        }
        // Injects nothing unless the current context holds a valid span.
        W3CTraceContextPropagator.getInstance().inject(Context.current(), builder, HttpRequest.Builder::header);
        return builder.build();
    }

    /** The request body, fields in the contract's order. */
    static String body(Question question) {
        ObjectNode body = MAPPER.createObjectNode()
                .put("event_id", question.eventId())
                .put("app_id", question.appId())
                .put("team_id", question.teamId())
                .put("channel", question.channel())
                .put("user", question.user())
                .put("thread_ts", question.threadTs())
                .put("text", question.text())
                .put("is_dm", question.isDm());
        if (question.thread() != null) {
            ArrayNode thread = body.putArray("thread");
            for (Question.ThreadMessage message : question.thread()) {
                thread.addObject()
                        .put("user", message.user())
                        .put("text", message.text())
                        .put("ts", message.ts())
                        .put("bot", message.bot());
            }
        }
        return body.toString();
    }

    /** Stops the HTTP client at once (answers being read end as cut off) and frees its threads. */
    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
