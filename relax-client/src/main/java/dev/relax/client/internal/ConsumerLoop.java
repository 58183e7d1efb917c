/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.client.ErrorHandler;
import dev.relax.client.EventHandler;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.internal.KeyedSerialExecutor;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.json.RelaxJsonException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind {@code EventConsumer}, wired here and stopped here: an {@link EventFetcher} thread
 * that moves events from the queue into this consumer's processing list, handler tasks on virtual threads
 * ({@link HandlerRunner}: retries, then acknowledgement or {@link DeadLetters}), and a {@link Heartbeat}
 * thread that keeps this consumer alive in Redis, returns dead consumers' events to the queue, and picks
 * up events stranded in its own list. {@link ConsumerState} says where in its life it is; every Redis
 * command is {@link ConsumerRedis}'.
 *
 * <p>Stopping has two phases. While draining ({@code stopping}) nothing new is dispatched, and the
 * heartbeat goes on, so that no other consumer takes back the events of handlers still running. If the
 * deadline passes first, stop() gives up ({@code abandoned}): it interrupts the handlers and returns
 * every event of its list to the queue, and a handler that ends after that touches Redis no more (no
 * retry, no acknowledgement, no dead letter), so each such event is back on the queue exactly once.
 */
public final class ConsumerLoop {
    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    /**
     * How long a consumer whose fetch thread was stuck at stop() stays registered: far beyond the time a
     * closed connection's last command can still be served.
     */
    static final Duration LINGER = Duration.ofMinutes(2);

    private final ConsumerSettings s;
    private final ConsumerRedis redis;
    private final ConsumerState state = new ConsumerState(System::nanoTime);
    /** One per handler running (or waiting behind its ordering key): at most {@code concurrency}. */
    private final Semaphore permits;

    private final ExecutorService workers;
    private final KeyedSerialExecutor serial = new KeyedSerialExecutor(this::execute);
    private final DeadLetters deadLetters;
    private final HandlerRunner runner;
    private final Heartbeat heartbeat;
    private final EventFetcher fetcher;
    private final ConsumerMeters meters;

    private ConsumerLoop(
            RedisConnections connections,
            ConsumerSettings settings,
            Map<Class<? extends RelaxEvent>, EventHandler<? extends RelaxEvent>> handlers,
            EventHandler<RelaxEvent> fallback,
            ErrorHandler errors,
            ClientTracing tracing,
            ConsumerMeters meters) {
        this.s = settings;
        this.meters = meters;
        this.redis = new ConsumerRedis(settings, connections);
        this.permits = new Semaphore(settings.concurrency());
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("relax-handler-" + settings.id() + "-", 0)
                .factory());
        this.deadLetters =
                new DeadLetters(settings, redis, errors, Clock.systemUTC(), Pause.SLEEP, state::givenUp, meters);
        this.runner = new HandlerRunner(
                settings, handlers, fallback, redis, deadLetters, state, Pause.SLEEP, tracing, meters);
        this.heartbeat = new Heartbeat(settings, redis, state, this::takeUpStranded, meters, Clock.systemUTC());
        this.fetcher = new EventFetcher(settings, redis, state, permits, this::dispatchUnlessStopping, Pause.SLEEP);
    }

    public static ConsumerLoop start(
            RedisConnections connections,
            ConsumerSettings settings,
            Map<Class<? extends RelaxEvent>, EventHandler<? extends RelaxEvent>> handlers,
            EventHandler<RelaxEvent> fallback,
            ErrorHandler errors,
            ClientTracing tracing,
            ConsumerMeters meters) {
        ConsumerLoop loop = new ConsumerLoop(connections, settings, handlers, fallback, errors, tracing, meters);
        List<String> leftover;
        try {
            loop.redis.beat();
            // A consumer restarted with the same id first finishes what it held when it stopped or died; the
            // heartbeat thread starts after, so that it never mistakes an event not yet dispatched for a
            // stranded one.
            leftover = loop.redis.held();
        } catch (RuntimeException e) {
            // Nothing runs yet; its connections may be on the application's Lettuce client, which nobody
            // else would ever close them on.
            loop.workers.shutdownNow();
            loop.heartbeat.stop();
            loop.redis.closeBlocking();
            loop.redis.close();
            throw e;
        }
        if (!leftover.isEmpty()) {
            log.info("consumer {} resumes {} events it held before", settings.id(), leftover.size());
            leftover.forEach(raw -> {
                loop.permits.acquireUninterruptibly();
                loop.dispatch(raw);
            });
        }
        loop.heartbeat.start();
        loop.fetcher.start();
        log.info(
                "consumer {} started on {} (concurrency {}, ordering {})",
                settings.id(),
                settings.queue(),
                settings.concurrency(),
                settings.ordering());
        return loop;
    }

    public String id() {
        return s.id();
    }

    public long handled() {
        return runner.handled();
    }

    // ---- dispatching ----------------------------------------------------------------------------

    /** Dispatches {@code raw} (a permit held) unless stop() began; false if it did. */
    private boolean dispatchUnlessStopping(String raw) {
        return state.unlessStopping(() -> dispatch(raw));
    }

    /** A stranded event goes to a handler if a permit is free; false once stop() began. */
    private boolean takeUpStranded(String raw) {
        if (state.holds(raw) || !permits.tryAcquire()) {
            return true;
        }
        if (!dispatchUnlessStopping(raw)) {
            permits.release();
            return false;
        }
        log.info("consumer {}: handling an event stranded in its processing list", s.id());
        return true;
    }

    /** Runs the handler for {@code raw}, which is already in our processing list; a permit is held. */
    private void dispatch(String raw) {
        state.dispatched(raw);
        RelaxEvent event;
        try {
            event = RelaxJson.decodeTypedEvent(raw);
        } catch (RelaxJsonException e) {
            workers.execute(() -> {
                try {
                    deadLetters.send(raw, "not a valid event: " + e.getMessage(), 0);
                } finally {
                    finished(raw);
                }
            });
            return;
        }
        Runnable task = () -> {
            try {
                runner.run(raw, event);
            } finally {
                finished(raw);
            }
        };
        String key = s.orderingKey(event);
        if (key == null) {
            workers.execute(task);
        } else {
            serial.execute(key, task);
        }
    }

    private void finished(String raw) {
        permits.release();
        state.finished(raw); // stop() may be waiting for the last handler
    }

    /** Starts a handler task; once stop() gave up, tasks still waiting behind a key are dropped (their events go back). */
    private void execute(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug(
                    "consumer {}: stopped; a queued handler was not started, its event goes back to the queue", s.id());
        }
    }

    // ---- stopping -------------------------------------------------------------------------------

    public boolean stop(Duration deadline) {
        if (!state.beginStopping()) {
            return state.inFlight() == 0;
        }
        long until = state.now() + deadline.toNanos();
        // A fetch thread still waiting (a stalled connection) may yet have its BLMOVE served: its connection is
        // closed before our list is returned, and this consumer then lingers in the registry for a while, so
        // that whatever that BLMOVE moves in later is returned by the other consumers' reaping, not stranded.
        boolean fetcherEnded = fetcher.awaitEnd();
        boolean finished = state.awaitDrained(until);
        if (!finished) {
            log.warn(
                    "consumer {}: {} handlers still running at the deadline; interrupting them and returning their events",
                    s.id(),
                    state.inFlight());
            state.abandon(); // before the interrupts: a handler that ends now must leave its event to us
            workers.shutdownNow();
        } else {
            workers.shutdown();
        }
        // The heartbeat lived until here; no tick may set it again after it is deleted below.
        heartbeat.stop();
        state.close();
        redis.closeBlocking();
        if (!fetcherEnded) {
            log.warn(
                    "consumer {}: its fetch thread did not end; it lingers in the registry for {} s so that an event "
                            + "its last BLMOVE takes is returned by the other consumers",
                    s.id(),
                    LINGER.toSeconds());
        }
        try {
            long moved = redis.returnHeld(fetcherEnded ? null : LINGER);
            if (moved > 0) {
                log.info("consumer {}: returned {} unfinished events to {}", s.id(), moved, s.queue());
            }
        } catch (RuntimeException e) {
            log.warn(
                    "consumer {}: could not return its unfinished events ({}); live consumers will once its heartbeat expires",
                    s.id(),
                    e.toString());
        }
        redis.close();
        meters.close();
        log.info("consumer {} stopped after handling {} events", s.id(), runner.handled());
        return finished;
    }
}
