package dev.relax.client.internal;

import dev.relax.client.DeadLetter;
import dev.relax.client.ErrorHandler;
import dev.relax.client.EventHandler;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.internal.KeyedSerialExecutor;
import dev.relax.core.internal.Redaction;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.json.RelaxJsonException;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The machinery behind {@code EventConsumer}: a fetch thread that moves events from the queue into this
 * consumer's processing list (BLMOVE), handler tasks on virtual threads, and a heartbeat thread that
 * keeps this consumer alive in Redis, returns dead consumers' events to the queue, and picks up events
 * stranded in its own list (a BLMOVE whose reply was lost in a reconnect).
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
     * KEYS: dead processing list, queue, registry, dead heartbeat, dead lingering key; ARGV: dead id. -1 if it
     * is alive. The dead one stays in the registry while its lingering key lives (a consumer that stopped
     * while its fetch was stuck), so that reaping it again returns what that fetch moves in late.
     */
    static final String REAP =
            """
            if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
            local n = 0
            while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT') do n = n + 1 end
            if redis.call('EXISTS', KEYS[5]) == 0 then redis.call('SREM', KEYS[3], ARGV[1]) end
            return n
            """;

    /**
     * KEYS: processing list, dead-letter list; ARGV: raw event, dead letter, most dead letters kept.
     * Returns 1 if it moved the event now; 2 if this very dead letter is already on the list (a run
     * repeated after its reply was lost); 0 if the event was no longer in the processing list and this
     * dead letter was never written (another consumer took the event back, so it is not dead-lettered
     * too). LTRIM keeps the newest entries.
     */
    public static final String DEAD_LETTER =
            """
            if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
              if redis.call('LPOS', KEYS[2], ARGV[2]) then return 2 end
              return 0
            end
            redis.call('RPUSH', KEYS[2], ARGV[2])
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
            return 1
            """;

    /**
     * How long a consumer whose fetch thread was stuck at stop() stays registered: far beyond the time a
     * closed connection's last command can still be served.
     */
    static final Duration LINGER = Duration.ofMinutes(2);

    /** How long one BLMOVE blocks; bounds how long stop() waits for the fetch thread. */
    private static final double BLOCK_SECONDS = 0.5;

    private final ConsumerSettings s;
    private final Map<Class<? extends RelaxEvent>, EventHandler<? extends RelaxEvent>> handlers;
    private final EventHandler<RelaxEvent> fallback;
    private final ErrorHandler errors;
    private final StatefulRedisConnection<String, String> blocking;
    private final StatefulRedisConnection<String, String> commands;
    private final Semaphore permits;
    private final ExecutorService workers;
    private final KeyedSerialExecutor serial = new KeyedSerialExecutor(this::execute);
    private final ScheduledExecutorService ticker;
    /** Raw events dispatched and not finished, with multiplicity. */
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    /**
     * Guards the switch to stopping against dispatch; stop() waits on {@link #drained} for handlers to
     * finish. A lock, not a monitor: a virtual thread that waits for a monitor pins its carrier on Java 21.
     */
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

    private final java.util.concurrent.locks.Condition drained = lock.newCondition();

    private final AtomicLong handled = new AtomicLong();
    private final Thread fetcher;
    /** Set once, under lock: nothing is dispatched from then on. */
    private volatile boolean stopping;
    /** Set once, before handlers are interrupted: stop() returns their events; they must not touch Redis. */
    private volatile boolean abandoned;
    /** Set once the connections are closed. */
    private volatile boolean closed;
    /** Owned by the ticker thread: untracked entries of our list seen at the previous tick. */
    private Set<String> suspects = Set.of();

    private ConsumerLoop(
            RedisClient redis,
            ConsumerSettings settings,
            Map<Class<? extends RelaxEvent>, EventHandler<? extends RelaxEvent>> handlers,
            EventHandler<RelaxEvent> fallback,
            ErrorHandler errors) {
        this.s = settings;
        this.handlers = handlers;
        this.fallback = fallback;
        this.errors = errors;
        this.blocking = redis.connect();
        this.commands = redis.connect();
        this.permits = new Semaphore(settings.concurrency());
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("relax-handler-" + settings.id() + "-", 0)
                .factory());
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("relax-consumer-heartbeat-" + settings.id())
                .daemon()
                .factory());
        this.fetcher = Thread.ofPlatform()
                .name("relax-consumer-" + settings.id())
                .daemon()
                .unstarted(this::fetchLoop);
    }

    public static ConsumerLoop start(
            RedisClient redis,
            ConsumerSettings settings,
            Map<Class<? extends RelaxEvent>, EventHandler<? extends RelaxEvent>> handlers,
            EventHandler<RelaxEvent> fallback,
            ErrorHandler errors) {
        ConsumerLoop loop = new ConsumerLoop(redis, settings, handlers, fallback, errors);
        loop.beat();
        // A consumer restarted with the same id first finishes what it held when it stopped or died.
        List<String> leftover = loop.commands.sync().lrange(settings.processingKey(), 0, -1);
        if (!leftover.isEmpty()) {
            log.info("consumer {} resumes {} events it held before", settings.id(), leftover.size());
            leftover.forEach(raw -> {
                loop.permits.acquireUninterruptibly();
                loop.dispatch(raw);
            });
        }
        long every = Math.max(100, settings.heartbeat().toMillis() / 3);
        loop.ticker.scheduleWithFixedDelay(loop::tick, every, every, TimeUnit.MILLISECONDS);
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
        return handled.get();
    }

    // ---- fetching -------------------------------------------------------------------------------

    private void fetchLoop() {
        long backoff = 100;
        while (!stopping) {
            // Poll for a permit rather than block: stop() never interrupts this thread, because an
            // interrupted BLMOVE may still move an event into our list after we returned the others.
            try {
                if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            if (stopping) {
                permits.release();
                return;
            }
            String raw;
            try {
                raw = blocking.sync()
                        .blmove(s.queue(), s.processingKey(), LMoveArgs.Builder.leftRight(), BLOCK_SECONDS);
                backoff = 100;
            } catch (RuntimeException e) {
                permits.release();
                if (stopping) {
                    return;
                }
                log.warn(
                        "consumer {}: cannot take events from {} ({}); retrying in {} ms",
                        s.id(),
                        s.queue(),
                        e.toString(),
                        backoff);
                pause(backoff);
                backoff = Math.min(5_000, backoff * 2);
                continue;
            }
            if (raw == null) {
                permits.release();
                continue;
            }
            if (!dispatchUnlessStopping(raw)) {
                // Taken by the last BLMOVE while stop() began: it stays in our list, and stop() returns it.
                permits.release();
                return;
            }
        }
    }

    /** Dispatches {@code raw} (a permit held) unless stop() began; false if it did. */
    private boolean dispatchUnlessStopping(String raw) {
        lock.lock();
        try {
            if (stopping) {
                return false;
            }
            dispatch(raw);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Runs the handler for {@code raw}, which is already in our processing list; a permit is held. */
    private void dispatch(String raw) {
        inFlight.merge(raw, 1, Integer::sum);
        RelaxEvent event;
        try {
            event = RelaxJson.decodeTypedEvent(raw);
        } catch (RelaxJsonException e) {
            workers.execute(() -> {
                try {
                    deadLetter(raw, "not a valid event: " + e.getMessage(), 0);
                } finally {
                    finished(raw);
                }
            });
            return;
        }
        Runnable task = () -> {
            try {
                handleWithRetries(raw, event);
            } finally {
                finished(raw);
            }
        };
        String key =
                switch (s.ordering()) {
                    case "PER_CHANNEL" -> event.teamUid() + "/" + event.wire().channelUid();
                    case "PER_TEAM" -> event.teamUid();
                    default -> null;
                };
        if (key == null) {
            workers.execute(task);
        } else {
            serial.execute(key, task);
        }
    }

    private void finished(String raw) {
        inFlight.computeIfPresent(raw, (k, n) -> n == 1 ? null : n - 1);
        permits.release();
        if (inFlight.isEmpty()) {
            lock.lock();
            try {
                drained.signalAll(); // stop() may be waiting for the last handler
            } finally {
                lock.unlock();
            }
        }
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

    @SuppressWarnings("unchecked")
    private EventHandler<RelaxEvent> handlerFor(RelaxEvent event) {
        for (var entry : handlers.entrySet()) {
            if (entry.getKey().isInstance(event)) {
                return (EventHandler<RelaxEvent>) entry.getValue();
            }
        }
        return fallback;
    }

    private void handleWithRetries(String raw, RelaxEvent event) {
        EventHandler<RelaxEvent> handler = handlerFor(event);
        MDC.put("team", event.teamUid());
        try {
            if (handler == null) {
                log.debug("consumer {}: no handler for {}; acknowledged", s.id(), event.type());
                ack(raw);
                return;
            }
            Throwable last = null;
            for (int attempt = 1; attempt <= s.maxAttempts() && !abandoned; attempt++) {
                Throwable failure = null;
                try {
                    handler.handle(event);
                } catch (Throwable t) {
                    failure = t;
                }
                // Only stop() interrupts our threads, and it sets abandoned first; any other interrupt (the
                // handler's own) is cleared so that the Redis calls and back-off below are not cut short.
                Thread.interrupted();
                if (abandoned) {
                    log.info(
                            "consumer {}: handler for {} of team {} ended ({}) after stop() gave up on it; its event goes back to {}",
                            s.id(),
                            event.type(),
                            event.teamUid(),
                            failure == null ? "returned" : failure.toString(),
                            s.queue());
                    return;
                }
                if (failure == null) {
                    if (ack(raw)) {
                        handled.incrementAndGet();
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
                    pause(s.retryBackoff().toMillis() << (attempt - 1));
                }
            }
            if (last != null && !abandoned) {
                deadLetter(raw, last.getClass().getName() + ": " + last.getMessage(), s.maxAttempts());
            }
        } finally {
            MDC.remove("team");
        }
    }

    /**
     * Removes a handled event from our processing list; keeps trying while Redis is away, until stop()
     * gives up on this handler (then the event goes back to the queue). Returns whether it was removed.
     */
    private boolean ack(String raw) {
        long backoff = 100;
        while (!abandoned && !closed) {
            try {
                commands.sync().lrem(s.processingKey(), 1, raw);
                return true;
            } catch (RuntimeException e) {
                if (abandoned || closed) {
                    break;
                }
                log.warn("consumer {}: cannot acknowledge an event ({}); retrying", s.id(), e.toString());
                pause(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
        return false;
    }

    private void deadLetter(String raw, String error, int attempts) {
        DeadLetter letter = new DeadLetter(raw, Redaction.redact(error), attempts, s.id(), Instant.now());
        String json = "{\"event\":" + RelaxJson.quote(raw) + ",\"error\":" + RelaxJson.quote(letter.error())
                + ",\"attempts\":" + attempts
                + ",\"consumer\":" + RelaxJson.quote(s.id()) + ",\"failed_at\":"
                + RelaxJson.quote(letter.failedAt().toString()) + "}";
        long backoff = 100;
        while (true) {
            if (abandoned || closed) {
                log.info(
                        "consumer {}: stopped before an event could be dead-lettered; it goes back to {}",
                        s.id(),
                        s.queue());
                return;
            }
            try {
                Long moved = commands.sync()
                        .eval(
                                DEAD_LETTER,
                                ScriptOutputType.INTEGER,
                                new String[] {s.processingKey(), s.deadLetterKey()},
                                raw,
                                json,
                                Integer.toString(s.deadLetterLimit()));
                if (moved != null && moved == 0) {
                    log.warn(
                            "consumer {}: an event to dead-letter was no longer in {}: another consumer took it back; not dead-lettered",
                            s.id(),
                            s.processingKey());
                    return;
                }
                break; // 1, or 2: an earlier try ran in Redis and only its reply was lost
            } catch (RuntimeException e) {
                if (abandoned || closed) {
                    continue;
                }
                log.warn("consumer {}: cannot dead-letter an event ({}); retrying", s.id(), e.toString());
                pause(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
        log.error(
                "consumer {}: event moved to {} after {} attempts: {} (event: {})",
                s.id(),
                s.deadLetterKey(),
                attempts,
                letter.error(),
                Redaction.excerpt(raw, 0, 160));
        try {
            errors.onError(letter);
        } catch (RuntimeException e) {
            log.warn("consumer {}: the error handler threw: {}", s.id(), e.toString());
        }
    }

    // ---- heartbeat ------------------------------------------------------------------------------

    private void beat() {
        RedisCommands<String, String> r = commands.sync();
        r.set(s.heartbeatKey(s.id()), "1", SetArgs.Builder.px(s.heartbeat().toMillis()));
        r.sadd(s.registryKey(), s.id());
    }

    private void tick() {
        try {
            beat();
            if (stopping) {
                return; // draining: keep our events ours, and start nothing new
            }
            reapDeadConsumers();
            recoverOrphans();
        } catch (RuntimeException e) {
            log.warn("consumer {}: heartbeat failed ({}); will retry", s.id(), e.toString());
        }
    }

    private void reapDeadConsumers() {
        RedisCommands<String, String> r = commands.sync();
        for (String other : r.smembers(s.registryKey())) {
            if (other.equals(s.id()) || r.exists(s.heartbeatKey(other)) > 0) {
                continue;
            }
            Long moved = r.eval(
                    REAP,
                    ScriptOutputType.INTEGER,
                    new String[] {
                        s.processingKey(other), s.queue(), s.registryKey(), s.heartbeatKey(other), s.lingeringKey(other)
                    },
                    other);
            if (moved != null && moved > 0) {
                log.warn(
                        "consumer {}: consumer {} stopped beating; returned its {} unfinished events to {}",
                        s.id(),
                        other,
                        moved,
                        s.queue());
            }
        }
    }

    /** Events in our list that no handler knows of, seen on two ticks in a row: a lost BLMOVE reply. */
    private void recoverOrphans() {
        List<String> held = commands.sync().lrange(s.processingKey(), 0, -1);
        Set<String> untracked = new HashSet<>();
        for (String raw : held) {
            if (!inFlight.containsKey(raw)) {
                untracked.add(raw);
            }
        }
        for (String raw : untracked) {
            if (suspects.contains(raw) && !inFlight.containsKey(raw) && permits.tryAcquire()) {
                if (!dispatchUnlessStopping(raw)) {
                    permits.release();
                    return;
                }
                log.info("consumer {}: handling an event stranded in its processing list", s.id());
            }
        }
        suspects = untracked;
    }

    // ---- stopping -------------------------------------------------------------------------------

    public boolean stop(Duration deadline) {
        lock.lock();
        try {
            if (stopping) {
                return inFlight.isEmpty();
            }
            stopping = true;
        } finally {
            lock.unlock();
        }
        long until = System.nanoTime() + deadline.toNanos();
        try {
            // Its last BLMOVE ends within BLOCK_SECONDS; an event it takes then stays in our list for below.
            fetcher.join(Duration.ofMillis((long) (BLOCK_SECONDS * 1000) + 2_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A fetch thread still waiting (a stalled connection) may yet have its BLMOVE served: its connection is
        // closed before our list is returned, and this consumer then lingers in the registry for a while, so
        // that whatever that BLMOVE moves in later is returned by the other consumers' reaping, not stranded.
        boolean fetcherEnded = !fetcher.isAlive();
        boolean finished = awaitHandlers(until);
        if (!finished) {
            log.warn(
                    "consumer {}: {} handlers still running at the deadline; interrupting them and returning their events",
                    s.id(),
                    inFlight.size());
            abandoned = true; // before the interrupts: a handler that ends now must leave its event to us
            workers.shutdownNow();
        } else {
            workers.shutdown();
        }
        // The heartbeat lived until here; no tick may set it again after it is deleted below.
        ticker.shutdown();
        try {
            if (!ticker.awaitTermination(2, TimeUnit.SECONDS)) {
                ticker.shutdownNow();
            }
        } catch (InterruptedException e) {
            ticker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        closed = true;
        blocking.close();
        if (!fetcherEnded) {
            log.warn(
                    "consumer {}: its fetch thread did not end; it lingers in the registry for {} s so that an event "
                            + "its last BLMOVE takes is returned by the other consumers",
                    s.id(),
                    LINGER.toSeconds());
        }
        try {
            RedisCommands<String, String> r = commands.sync();
            if (!fetcherEnded) {
                r.set(s.lingeringKey(s.id()), "1", SetArgs.Builder.ex(LINGER.toSeconds()));
            }
            r.del(s.heartbeatKey(s.id()));
            Long moved = r.eval(
                    REAP,
                    ScriptOutputType.INTEGER,
                    new String[] {
                        s.processingKey(), s.queue(), s.registryKey(), s.heartbeatKey(s.id()), s.lingeringKey(s.id())
                    },
                    s.id());
            if (moved != null && moved > 0) {
                log.info("consumer {}: returned {} unfinished events to {}", s.id(), moved, s.queue());
            }
        } catch (RuntimeException e) {
            log.warn(
                    "consumer {}: could not return its unfinished events ({}); live consumers will once its heartbeat expires",
                    s.id(),
                    e.toString());
        }
        commands.close();
        log.info("consumer {} stopped after handling {} events", s.id(), handled.get());
        return finished;
    }

    /** Waits until no handler runs or {@code until} (System.nanoTime) passed; whether none runs. */
    private boolean awaitHandlers(long until) {
        lock.lock();
        try {
            long left;
            while (!inFlight.isEmpty() && (left = until - System.nanoTime()) > 0) {
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

    /**
     * Sleeps for a back-off. An interrupt ends the sleep and is not kept: only stop() interrupts our
     * threads, after setting {@code abandoned}, which every retry loop checks; a kept interrupt would make
     * each later sleep and Redis call fail at once, and such a loop spin.
     */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // see above
        }
    }
}
