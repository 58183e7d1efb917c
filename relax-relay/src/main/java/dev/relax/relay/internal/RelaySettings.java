/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@link Relay} does with the questions it takes: the backend, how answers are written, which
 * messages are questions, and the worker pool. The jar fills it from the environment (docs/relay.md,
 * "Configuration").
 *
 * @param backend how the backend is called
 * @param answers how answers are written into Slack
 * @param followThreads whether a reply in a thread the bot answered in is a question without a mention
 * @param threadContext whether the backend gets the thread's earlier messages (conversations.replies)
 * @param concurrency most questions answered at once by this instance; events beyond wait in Redis
 * @param lease how long a question stays claimed by an instance that stops renewing it (killed): after it,
 *     another instance completes the answer
 * @param status the thread status shown while the backend has not answered yet
 *     (assistant.threads.setStatus); empty: none
 * @param stopTimeout how long a stopping relay lets the answers under way finish; those still unfinished
 *     are left, as they are, to another instance (or the next start) to complete
 */
record RelaySettings(
        BackendSettings backend,
        AnswerSettings answers,
        boolean followThreads,
        boolean threadContext,
        int concurrency,
        Duration lease,
        String status,
        Duration stopTimeout) {
    static final int DEFAULT_CONCURRENCY = 16;
    static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    static final String DEFAULT_STATUS = "is thinking…";
    /**
     * Under Docker's default grace period (10 s between SIGTERM and SIGKILL), so that a stopping relay
     * releases what it cannot finish rather than be killed holding it; Kubernetes gives 30 s.
     */
    static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(8);

    RelaySettings {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(answers, "answers");
        Objects.requireNonNull(status, "status");
        if (concurrency < 1 || concurrency > 10_000) {
            throw new IllegalArgumentException("concurrency must be in 1..10000, was " + concurrency);
        }
        if (lease == null || lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("lease must be at least 1 s, was " + lease);
        }
        if (stopTimeout == null || stopTimeout.isNegative()) {
            throw new IllegalArgumentException("stopTimeout must be zero or more, was " + stopTimeout);
        }
    }

    /**
     * The defaults around {@code backend}: follow-ups answered, no thread context, 16 workers, 30 s lease,
     * 8 s to stop.
     */
    static RelaySettings defaults(BackendSettings backend) {
        return new RelaySettings(
                backend,
                AnswerSettings.defaults(),
                true,
                false,
                DEFAULT_CONCURRENCY,
                DEFAULT_LEASE,
                DEFAULT_STATUS,
                DEFAULT_STOP_TIMEOUT);
    }

    RelaySettings withAnswers(AnswerSettings answers) {
        return new RelaySettings(
                backend, answers, followThreads, threadContext, concurrency, lease, status, stopTimeout);
    }

    RelaySettings withConcurrency(int concurrency) {
        return new RelaySettings(
                backend, answers, followThreads, threadContext, concurrency, lease, status, stopTimeout);
    }

    RelaySettings withLease(Duration lease) {
        return new RelaySettings(
                backend, answers, followThreads, threadContext, concurrency, lease, status, stopTimeout);
    }

    RelaySettings withStopTimeout(Duration stopTimeout) {
        return new RelaySettings(
                backend, answers, followThreads, threadContext, concurrency, lease, status, stopTimeout);
    }

    RelaySettings withThreadContext(boolean threadContext) {
        return new RelaySettings(
                backend, answers, followThreads, threadContext, concurrency, lease, status, stopTimeout);
    }
}
