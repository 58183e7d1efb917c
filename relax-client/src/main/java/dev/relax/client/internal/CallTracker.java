/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.client.CallResult;
import dev.relax.core.RelaxException;
import dev.relax.core.protocol.CallKeys;
import dev.relax.core.protocol.CallOutcome;
import dev.relax.core.protocol.CallRequest;
import io.lettuce.core.KeyValue;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the futures of calls this client queued: from the results brokers PUBLISH on {@code
 * <calls>:results}, and from the result keys {@code <calls>:result:<id>} (read after subscribing, again
 * after every re-subscription, since pub/sub keeps nothing for a subscriber that was away, and every
 * {@code recheckEvery} for a message lost without one). A future still pending after {@code timeout}
 * fails with a {@link RelaxException} that names the call, so that calls no broker makes do not pile up.
 * Subscribes and starts its sweeper thread on first use; {@link #close()} stops both and fails the
 * futures still pending.
 */
public final class CallTracker extends RedisPubSubAdapter<String, String> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallTracker.class);
    /** How often pending calls' result keys are read again by default. */
    public static final Duration RECHECK_EVERY = Duration.ofSeconds(10);
    /** The shortest sweep period a short timeout brings. */
    private static final Duration MIN_SWEEP = Duration.ofMillis(100);
    /** Result keys read by one MGET. */
    private static final int BATCH = 500;

    /** Opens the connection the results channel is subscribed on. */
    private final Supplier<StatefulRedisPubSubConnection<String, String>> connectPubSub;

    private final RedisConnection commands;
    private final CallKeys keys;
    private final String resultsChannel;
    private final Duration timeout;
    private final Duration sweepEvery;
    /** Monotonic nanoseconds (System::nanoTime): a wall-clock step neither fails nor stretches a wait. */
    private final LongSupplier ticker;
    /** Times each queued call until its future completes, and reports {@link #pending()}. */
    private final RelaxMeters meters;
    /** Calls not finished yet, by call id. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /**
     * Guards {@link #pubsub} and {@link #sweeper}: taken on the thread of the first call (often a handler's
     * virtual thread) across connecting and subscribing, so a lock, not a monitor, which would pin that
     * virtual thread's carrier on Java 21 while it waits for Redis.
     */
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    /** Created on first use; guarded by lock. */
    private StatefulRedisPubSubConnection<String, String> pubsub;
    /** Created on first use; guarded by lock. Reads result keys and fails calls that waited too long. */
    private ScheduledExecutorService sweeper;

    private volatile boolean closed;

    private record Pending(CompletableFuture<CallResult> future, long sinceNanos) {}

    /** {@code commands} is the client's shared connection, not closed here. */
    public CallTracker(
            Supplier<StatefulRedisPubSubConnection<String, String>> connectPubSub,
            RedisConnection commands,
            String callsKey,
            Duration timeout,
            RelaxMeters meters) {
        this(connectPubSub, commands, callsKey, timeout, RECHECK_EVERY, System::nanoTime, meters);
    }

    /** As above, with the sweep's period and the monotonic ticker (nanoseconds) chosen (tests). */
    public CallTracker(
            Supplier<StatefulRedisPubSubConnection<String, String>> connectPubSub,
            RedisConnection commands,
            String callsKey,
            Duration timeout,
            Duration recheckEvery,
            LongSupplier ticker,
            RelaxMeters meters) {
        this.connectPubSub = connectPubSub;
        this.commands = commands;
        this.keys = new CallKeys(callsKey);
        this.resultsChannel = keys.results();
        this.timeout = timeout;
        // A short timeout is honoured within about itself (100 ms at least), not within the recheck period.
        Duration forTimeout = timeout.compareTo(MIN_SWEEP) < 0 ? MIN_SWEEP : timeout;
        this.sweepEvery = forTimeout.compareTo(recheckEvery) < 0 ? forTimeout : recheckEvery;
        this.ticker = ticker;
        this.meters = meters;
        meters.pendingCalls(callsKey, this::pending);
    }

    /** Calls whose future is not complete yet. */
    public int pending() {
        return pending.size();
    }

    /** A future for call {@code id}; subscribed before it returns, so queue the call after this. */
    public CompletableFuture<CallResult> track(String id) {
        if (closed) {
            return CompletableFuture.failedFuture(
                    new RelaxException("the client is closed: call " + id + " not tracked"));
        }
        Pending p = pending.computeIfAbsent(id, k -> new Pending(new CompletableFuture<>(), ticker.getAsLong()));
        p.future().whenComplete((r, e) -> pending.remove(id, p));
        try {
            start();
        } catch (RuntimeException e) {
            // Not subscribed (Redis away): the caller learns it now, and nothing is left pending for ever.
            p.future().completeExceptionally(e);
            throw e;
        }
        check(id);
        return p.future();
    }

    /**
     * Tracks {@code request} ({@link #track}), then queues it on the calls stream; when the {@code XADD}
     * fails, its future fails too (nobody would ever complete it) and the failure is thrown.
     */
    public CompletableFuture<CallResult> queue(CallRequest request) {
        long started = meters.startTime();
        CompletableFuture<CallResult> tracked = track(request.id());
        // The caller's future completes after the call is timed, so a caller that reads the metrics once its
        // result is in finds the call there; completed by hand, it lets the tracked one go too.
        CompletableFuture<CallResult> result = new CompletableFuture<>();
        tracked.whenComplete((r, e) -> {
            meters.callFinished(request.method(), r, started);
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(r);
            }
        });
        result.whenComplete((r, e) -> tracked.cancel(false));
        try {
            commands.sync().xadd(keys.stream(), request.toFields());
        } catch (RuntimeException e) {
            tracked.completeExceptionally(e);
            throw e;
        }
        return result;
    }

    /** The stored result of call {@code id}, if a broker finished it within the last day. */
    public Optional<CallResult> stored(String id) {
        return Optional.ofNullable(commands.sync().get(keys.result(id))).flatMap(CallTracker::decode);
    }

    /** Reads a result as brokers write it; empty when it is not one. */
    public static Optional<CallResult> decode(String json) {
        return CallOutcome.fromJson(json)
                .map(o -> new CallResult(
                        o.id(), o.ok(), o.method(), o.channel(), o.ts(), o.error(), o.attempts(), o.response()));
    }

    private void start() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (pubsub == null) {
                StatefulRedisPubSubConnection<String, String> p = connectPubSub.get();
                try {
                    p.addListener(this);
                    p.sync().subscribe(resultsChannel);
                } catch (RuntimeException e) {
                    p.close(); // the next call tries again with a new connection
                    throw e;
                }
                pubsub = p;
            }
            if (sweeper == null) {
                sweeper = Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("relax-call-results").daemon().factory());
                long every = sweepEvery.toMillis();
                sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs one sweep now, on the caller's thread (tests; the sweeper runs them on its own). */
    public void sweepNow() {
        failOverdueAndRecheck();
    }

    /** Fails the calls that waited {@code timeout}, and reads the others' result keys; on the sweeper thread. */
    private void sweep() {
        try {
            failOverdueAndRecheck();
        } catch (RuntimeException e) { // an escaping exception would end the schedule
            log.warn("the sweep of pending calls failed ({}); will retry", e.toString());
        }
    }

    /**
     * Reads the result keys of every pending call first, and only then fails the calls still pending past
     * the timeout: a result stored just before the timeout (its publish lost) completes its future.
     */
    private void failOverdueAndRecheck() {
        long now = ticker.getAsLong();
        List<String> waiting = new ArrayList<>(pending.keySet());
        try {
            for (int from = 0; from < waiting.size(); from += BATCH) {
                String[] resultKeys = waiting.subList(from, Math.min(waiting.size(), from + BATCH)).stream()
                        .map(keys::result)
                        .toArray(String[]::new);
                for (KeyValue<String, String> kv : commands.sync().mget(resultKeys)) {
                    if (kv.hasValue()) {
                        decode(kv.getValue()).ifPresent(this::complete);
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("cannot read the results of {} pending calls ({}); will retry", waiting.size(), e.toString());
        }
        pending.forEach((id, p) -> {
            Duration waited = Duration.ofNanos(now - p.sinceNanos());
            if (waited.compareTo(timeout) >= 0) {
                p.future().completeExceptionally(timedOut(id, waited));
            }
        });
    }

    private RelaxException timedOut(String id, Duration waited) {
        log.warn("call {} has no result after {}; its future fails", id, describe(waited));
        return new RelaxException("call " + id + " has no result after " + describe(waited)
                + " (callResultTimeout): no broker has made it yet, or its result expired. A broker may still make"
                + " it; RelaxClient.callResult(\"" + id + "\") looks its result up later");
    }

    /** {@code 1h}, {@code 2m30s}, {@code 0.3s}. */
    private static String describe(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** Completes {@code id}'s future from its result key, if there is one yet. */
    private void check(String id) {
        commands.async().get(keys.result(id)).thenAccept(raw -> {
            if (raw != null) {
                decode(raw).ifPresent(this::complete);
            }
        });
    }

    private void complete(CallResult result) {
        Pending p = pending.get(result.id());
        if (p != null) {
            p.future().complete(result);
        }
    }

    @Override
    public void message(String channel, String message) {
        if (!resultsChannel.equals(channel)) {
            return;
        }
        Optional<CallResult> result = decode(message);
        if (result.isEmpty()) {
            log.warn("a message on {} is not a call result; ignored", resultsChannel);
            return;
        }
        complete(result.get());
    }

    @Override
    public void subscribed(String channel, long count) {
        // Also called after Lettuce re-subscribes on a new connection: results published meanwhile are lost.
        if (resultsChannel.equals(channel)) {
            pending.keySet().forEach(this::check);
        }
    }

    /** Unsubscribes, stops the sweeper, and fails the futures still pending. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (sweeper != null) {
                sweeper.shutdownNow();
            }
            if (pubsub != null) {
                pubsub.close();
            }
        } finally {
            lock.unlock();
        }
        pending.forEach((id, p) -> p.future()
                .completeExceptionally(new RelaxException("the client was closed before the result of call " + id
                        + " arrived; RelaxClient.callResult(\"" + id + "\") looks it up later")));
    }
}
