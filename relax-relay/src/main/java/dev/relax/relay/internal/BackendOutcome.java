/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

/**
 * How one {@link BackendClient#ask} ended, for the relay to act on: every case but {@link Answered}
 * tells the user something in the thread. The chunks already handed to the sink stay delivered.
 */
sealed interface BackendOutcome {

    /** The whole answer was delivered ({@code chunks} chunks; a JSON answer is one). */
    record Answered(int chunks) implements BackendOutcome {}

    /** The backend refused the question (4xx): {@code message} is its reason, for the user; no retry. */
    record Refused(int status, String message) implements BackendOutcome {}

    /**
     * The backend ended the answer with an {@code error} event after {@code chunks} chunks: show the
     * user {@code message}.
     */
    record Errored(int chunks, String message) implements BackendOutcome {}

    /**
     * No answer: every attempt failed in a way worth retrying (or the circuit breaker is open), and
     * no chunk was delivered. {@code detail} is for logs, not for users.
     */
    record Failed(Failure failure, int attempts, String detail) implements BackendOutcome {}

    /** The stream stopped (closed without {@code done}, or went idle) after {@code chunks} chunks. */
    record CutOff(int chunks, String detail) implements BackendOutcome {}

    /** The backend answered 2xx with something the contract does not allow; {@code detail} for logs. */
    record Malformed(String detail) implements BackendOutcome {}

    /** Why an attempt failed in a way worth retrying, and why {@link Failed} gave up. */
    enum Failure {
        /** 5xx. */
        SERVER_ERROR,
        /** No connection, no headers, or no chunk in time. */
        TIMEOUT,
        /** The connection failed or broke. */
        CONNECTION,
        /** The stream closed (or went idle) before its first chunk. */
        CUT_OFF,
        /** The circuit breaker is open: the backend kept failing, so it was not called. */
        BACKEND_UNAVAILABLE
    }
}
