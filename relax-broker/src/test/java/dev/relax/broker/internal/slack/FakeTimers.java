/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scheduler on a fake clock, for unit tests: nothing runs until {@link #advance} steps the clock, and
 * then every task that came due runs on the caller's thread, in order. {@link #ticker} is the same clock
 * as a {@code nanoTime} source. Test threads only.
 */
public final class FakeTimers extends AbstractExecutorService implements ScheduledExecutorService {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Task> tasks = new ArrayList<>();

    public long ticker() {
        return now.get();
    }

    /** Steps the clock by {@code by}, running every task that comes due on the way. */
    public void advance(Duration by) {
        long until = now.get() + by.toNanos();
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream()
                        .filter(t -> !t.cancelled && t.due <= until)
                        .min(Comparator.comparingLong(t -> t.due))
                        .orElse(null);
                if (next == null) {
                    break;
                }
                now.set(Math.max(now.get(), next.due));
                if (next.period > 0) {
                    next.due = now.get() + next.period;
                } else {
                    tasks.remove(next);
                }
            }
            next.command.run();
        }
        now.set(until);
    }

    /** The delays of the one-shot tasks still waiting, shortest first. */
    public synchronized List<Duration> pendingDelays() {
        return tasks.stream()
                .filter(t -> !t.cancelled && t.period == 0)
                .map(t -> Duration.ofNanos(t.due - now.get()))
                .sorted()
                .toList();
    }

    /** How many periodic tasks (pingers) still run. */
    public synchronized long periodicTasks() {
        return tasks.stream().filter(t -> !t.cancelled && t.period > 0).count();
    }

    private synchronized Task add(Runnable command, long delayNanos, long periodNanos) {
        Task t = new Task(command, now.get() + delayNanos, periodNanos);
        tasks.add(t);
        return t;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(command, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(command, unit.toNanos(initialDelay), unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
        add(command, 0, 0);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private static final class Task implements ScheduledFuture<Object> {
        final Runnable command;
        final long period;
        volatile long due;
        volatile boolean cancelled;

        Task(Runnable command, long due, long period) {
            this.command = command;
            this.due = due;
            this.period = period;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
