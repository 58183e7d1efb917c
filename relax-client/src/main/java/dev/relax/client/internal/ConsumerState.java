/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Where a consumer is in its life, and the events its handlers hold. Running, then stopping (draining:
 * nothing new is dispatched, handlers under way finish), then, if stop()'s deadline passed first,
 * abandoned (handlers are interrupted and must touch Redis no more), then closed (connections closed).
 * Each step is taken once and never undone.
 */
final class ConsumerState {
    /** Raw events dispatched and not finished, with multiplicity. */
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    /**
     * Guards the switch to stopping against dispatch; stop() waits on {@link #drained} for handlers to
     * finish. A lock, not a monitor: a virtual thread that waits for a monitor pins its carrier on Java 21.
     */
    private final ReentrantLock lock = new ReentrantLock();

    private final Condition drained = lock.newCondition();
    /** Monotonic nanoseconds, for stop()'s deadline. */
    private final LongSupplier nanoTime;
    /** Set once, under lock: nothing is dispatched from then on. */
    private volatile boolean stopping;
    /** Set once, before handlers are interrupted: stop() returns their events; they must not touch Redis. */
    private volatile boolean abandoned;
    /** Set once the connections are closed. */
    private volatile boolean closed;

    ConsumerState(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    boolean stopping() {
        return stopping;
    }

    boolean abandoned() {
        return abandoned;
    }

    /** Whether a handler's Redis work must end: its event is (or will be) returned by stop(). */
    boolean givenUp() {
        return abandoned || closed;
    }

    /** Whether a handler holds {@code raw} now. */
    boolean holds(String raw) {
        return inFlight.containsKey(raw);
    }

    /** Distinct events that handlers hold now. */
    int inFlight() {
        return inFlight.size();
    }

    /** Runs {@code dispatch} unless stopping began, atomically with that switch; false if it had begun. */
    boolean unlessStopping(Runnable dispatch) {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            dispatch.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Tracks {@code raw}, which a handler now holds. */
    void dispatched(String raw) {
        inFlight.merge(raw, 1, Integer::sum);
    }

    /** A handler let go of {@code raw}; wakes stop() once none holds anything. */
    void finished(String raw) {
        inFlight.computeIfPresent(raw, (k, n) -> n == 1 ? null : n - 1);
        if (inFlight.isEmpty()) {
            lock.lock();
            try {
                drained.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Begins stopping; false if it had begun already. */
    boolean beginStopping() {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            stopping = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Monotonic now, in nanoseconds. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** Waits until no handler holds an event, or {@code until} ({@link #now()}) passed; whether none holds one. */
    boolean awaitDrained(long until) {
        lock.lock();
        try {
            long left;
            while (!inFlight.isEmpty() && (left = until - nanoTime.getAsLong()) > 0) {
                try {
                    drained.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return inFlight.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Gives up on the handlers still running; set before they are interrupted. */
    void abandon() {
        abandoned = true;
    }

    void close() {
        closed = true;
    }
}
