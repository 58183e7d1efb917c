/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static dev.relax.broker.internal.http.RequestResult.BAD_SIGNATURE;
import static dev.relax.broker.internal.http.RequestResult.BODY_TIMEOUT;
import static dev.relax.broker.internal.http.RequestResult.BUSY;
import static dev.relax.broker.internal.http.RequestResult.MALFORMED;
import static dev.relax.broker.internal.http.RequestResult.STALE;
import static dev.relax.broker.internal.http.RequestResult.TOO_LARGE;
import static dev.relax.broker.internal.http.RequestResult.UNAVAILABLE;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a request to {@code /slack/...} must pass before anything in its body is looked at, cheapest first:
 * both signature headers, well formed, with a fresh timestamp, before a byte of the body is read; a {@code
 * Content-Length} within the limit; the body, within the body deadline, its bytes paid for as they arrive
 * from the budget shared by all requests ({@link BodyBuffer}); and once it is all in, a place among the
 * requests in flight. Nothing is held while the body is awaited, so that clients that send headers and
 * then nothing (until the deadline drops them) take nothing Slack's requests need.
 *
 * <p>Shared by the HTTP server's threads: its state is the two semaphores and the count of bodies being
 * received, all thread-safe.
 */
final class RequestAdmission {
    private final SlackRequestVerifier verifier;
    private final SlackEventsHandler.Limits limits;
    private final ScheduledExecutorService timers;
    /** Places among the requests being handled once their body is in: CPU (checks, parse) and Redis waits. */
    private final Semaphore inFlight;
    /** Bytes of request bodies held at once, taken as they arrive ({@link BodyBuffer}). */
    private final Semaphore bodyBytes;
    /** Requests whose body is being read. */
    private final AtomicInteger receiving = new AtomicInteger();

    /** A request let in: its body, and its place in flight and bytes of the budget until closed. */
    final class Admitted implements AutoCloseable {
        private final BodyBuffer buffer;
        private boolean placed;

        private Admitted(BodyBuffer buffer) {
            this.buffer = buffer;
        }

        byte[] body() {
            return buffer.bytes();
        }

        @Override
        public void close() {
            if (placed) {
                inFlight.release();
            }
            buffer.close();
        }
    }

    /** @param timers runs the body deadlines (one task per request, cancelled once the body is in) */
    RequestAdmission(
            SlackRequestVerifier verifier,
            SlackEventsHandler.Limits limits,
            ScheduledExecutorService timers,
            BrokerMetrics metrics) {
        this.verifier = verifier;
        this.limits = limits;
        this.timers = timers;
        this.inFlight = new Semaphore(limits.maxInFlight());
        this.bodyBytes = new Semaphore(limits.bodyBudget());
        metrics.eventsApiAdmission(
                () -> limits.maxInFlight() - inFlight.availablePermits(),
                receiving::get,
                () -> limits.bodyBudget() - bodyBytes.availablePermits());
    }

    /** Both signature headers, well formed, and a fresh timestamp; else refused with the body unread. */
    void checkHeaders(SlackRequest request) throws Rejection {
        String timestamp = request.header(SlackRequest.TIMESTAMP);
        String signature = request.header(SlackRequest.SIGNATURE);
        switch (verifier.checkHeaders(timestamp, signature)) {
            case OK -> {}
            case STALE ->
                throw new Rejection(401, STALE, "timestamp " + timestamp + " too far from the broker's clock");
            case BAD_SIGNATURE -> {
                String what = signature == null
                        ? "no X-Slack-Signature"
                        : timestamp == null
                                ? "no X-Slack-Request-Timestamp"
                                : "X-Slack-Signature is not v0= and 64 hex digits, or the timestamp is no number";
                throw new Rejection(401, BAD_SIGNATURE, what);
            }
        }
    }

    /** The body's {@code Content-Length}, refused when over the limit; -1 when there is none (chunked). */
    long declaredLength(SlackRequest request) throws Rejection {
        String header = request.header("Content-Length");
        if (header == null) {
            return -1;
        }
        long length;
        try {
            length = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            // The JDK's server refuses such requests before they get here.
            throw new Rejection(400, MALFORMED, "Content-Length " + header);
        }
        if (length > limits.maxBody()) {
            throw new Rejection(
                    400, TOO_LARGE, "Content-Length " + length + " larger than " + limits.maxBody() + " bytes");
        }
        return length;
    }

    /**
     * Reads the body (of {@code declared} bytes, or -1 when unknown) and takes a place in flight; the caller
     * closes what it gets, however the request ends.
     */
    Admitted admit(SlackRequest request, long declared) throws Rejection, Abandoned {
        Admitted admitted = new Admitted(new BodyBuffer(bodyBytes, declared >= 0 ? (int) declared : limits.maxBody()));
        try {
            readBody(request, admitted.buffer, declared);
            admitted.placed = inFlight.tryAcquire();
            if (!admitted.placed) {
                throw new Rejection(503, BUSY, limits.maxInFlight() + " requests in flight already");
            }
            return admitted;
        } catch (Rejection | Abandoned | RuntimeException e) {
            admitted.close();
            throw e;
        }
    }

    /**
     * Reads the body into {@code buffer}, at most the limit, within the body timeout; refused as {@code busy}
     * when the budget of body bytes cannot pay for it. When the deadline passes first it interrupts this
     * thread, which closes the connection under a blocked read: the JDK server's channels are
     * {@link java.nio.channels.InterruptibleChannel}s.
     */
    private void readBody(SlackRequest request, BodyBuffer buffer, long declared) throws Rejection, Abandoned {
        BodyDeadline deadline = new BodyDeadline(Thread.currentThread());
        ScheduledFuture<?> timer;
        try {
            timer = timers.schedule(deadline::expire, limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            throw new Rejection(503, UNAVAILABLE, "the broker is shutting down");
        }
        int last;
        boolean more = false;
        IOException failure = null;
        receiving.incrementAndGet();
        try {
            InputStream in = request.exchange.getRequestBody();
            do {
                last = buffer.readFrom(in);
            } while (last > 0);
            if (last != BodyBuffer.NO_ROOM) {
                if (declared >= 0 && buffer.size() < declared) {
                    failure = new EOFException(buffer.size() + " of " + declared + " bytes");
                } else if (declared < 0 && buffer.size() == limits.maxBody()) {
                    more = in.read() >= 0;
                }
            }
        } catch (IOException e) {
            failure = e;
            last = 0;
        } finally {
            timer.cancel(false);
            receiving.decrementAndGet();
        }
        if (deadline.finish()) {
            Thread.interrupted();
            throw new Abandoned(
                    BODY_TIMEOUT,
                    "body not received within " + limits.bodyTimeout().toMillis() + " ms");
        }
        if (failure != null) {
            throw new Abandoned(MALFORMED, "body cut short: " + failure);
        }
        if (last == BodyBuffer.NO_ROOM) {
            throw new Rejection(
                    503,
                    BUSY,
                    "no room for the body: bodies being received and handled hold "
                            + (limits.bodyBudget() - bodyBytes.availablePermits()) + " of " + limits.bodyBudget()
                            + " bytes");
        }
        request.bodyRead = true;
        if (more) {
            throw new Rejection(400, TOO_LARGE, "body larger than " + limits.maxBody() + " bytes");
        }
    }

    /** Interrupts the reading thread once, unless the body was in first; its monitor orders the two. */
    private static final class BodyDeadline {
        private final Thread reader;
        /** Guarded by this. */
        private boolean finished;
        /** Guarded by this. */
        private boolean expired;

        BodyDeadline(Thread reader) {
            this.reader = reader;
        }

        synchronized void expire() {
            if (!finished) {
                expired = true;
                reader.interrupt();
            }
        }

        /** Ends the deadline; true when it expired first (the reader's interrupt status is then set). */
        synchronized boolean finish() {
            finished = true;
            return expired;
        }
    }
}
