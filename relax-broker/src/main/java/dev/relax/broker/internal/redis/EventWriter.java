/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.Arrival;
import dev.relax.broker.internal.slack.DedupeKey;
import dev.relax.broker.internal.slack.Translated;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.core.MutexMode;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotId;
import io.lettuce.core.RedisNoScriptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes events onto the events queue, each exactly once across the brokers of a fleet.
 *
 * <p>Events wait in a bounded in-memory queue, in the order they were offered, and a single writer
 * thread pushes them in batches: one Lua script per batch checks each event's dedupe entry and pushes
 * the event only when the entry was new, atomically. When Redis fails, the batch is retried, in order,
 * until Redis is back; a retry of a batch that Redis had in fact applied pushes nothing twice, because
 * the dedupe entries are already set. When the queue is full (a long outage), new events are dropped,
 * logged and counted in {@code relax_events_dropped_total}.
 *
 * <p>Dedupe entries are the events' own {@link DedupeKey}s, made by the translators: by default
 * ({@link MutexMode#BOUNDED}) one key per event, {@code <mutex key>:<bot>:<id>}, expiring after the
 * dedupe TTL, so the state stays bounded and includes the team and namespace. With
 * {@link MutexMode#HASH}, a field of the mutex hash set to {@code ok}: the Go broker's
 * {@code bot_message:<channel>:<event_timestamp>}, byte for byte, for RTM events.
 */
public final class EventWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
    /** At most one ERROR line about dropped events in this time. */
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * One event on its way: the bot it came from (for logs), the event with its dedupe key, when and how it
     * reached the broker (its span ends once it is written); {@code stored} runs once
     * the event is in Redis (pushed now, or found already pushed by a broker that saw it first).
     */
    private record Pending(BotId bot, Translated translated, String json, Arrival arrival, Runnable stored) {}

    /** Waits between attempts; {@link Thread#sleep} in the broker, a step of a fake clock in tests. */
    interface Pause {
        void sleep(long millis) throws InterruptedException;
    }

    // Set by the constructor, or by using() before any other call (tests).
    private ScriptCommands redis;
    /** {@link System#nanoTime} in the broker: outage lengths, the drop log's interval, flush deadlines. */
    private LongSupplier ticker;

    private Pause pause;
    private final String queueKey;
    private final String mutexKey;
    private final MutexMode mode;
    private final long dedupeTtlSeconds;
    private final long lingerNanos;
    private final int batchSize;
    private final BrokerMetrics metrics;
    private final BrokerTracing tracing;
    /** Most events held at once, queued or in the batch being written. */
    private final int capacity;

    private final LinkedBlockingQueue<Pending> queue;
    private final Thread writer;

    // Owned by the writer thread.
    private final List<Pending> batch = new ArrayList<>();
    /** Events offered and not yet written: queued plus in the current batch. */
    private final java.util.concurrent.atomic.AtomicLong outstanding = new java.util.concurrent.atomic.AtomicLong();

    private String scriptSha;
    private volatile boolean outage;
    private long outageStartedNanos;

    private volatile boolean closing;
    /** When the last drop was logged; set so that the first drop is, whatever the ticker's origin. */
    private volatile long lastDropLogNanos;

    public EventWriter(
            RedisConnection redis,
            String queueKey,
            String mutexKey,
            MutexMode mode,
            Duration dedupeTtl,
            int capacity,
            int batchSize,
            Duration linger,
            BrokerMetrics metrics,
            BrokerTracing tracing) {
        this.redis = ScriptCommands.lettuce(redis);
        this.ticker = System::nanoTime;
        this.pause = Thread::sleep;
        this.queueKey = queueKey;
        this.mutexKey = mutexKey;
        this.mode = mode;
        this.dedupeTtlSeconds = Math.max(1, dedupeTtl.toSeconds());
        this.batchSize = batchSize;
        this.lingerNanos = linger.toNanos();
        this.metrics = metrics;
        this.tracing = tracing;
        this.capacity = capacity;
        this.queue = new LinkedBlockingQueue<>();
        this.lastDropLogNanos = ticker.getAsLong() - DROP_LOG_INTERVAL_NANOS - 1;
        metrics.bufferDepth(this::depth);
        this.writer = Thread.ofPlatform().name("relax-event-writer").daemon().unstarted(this::run);
    }

    /**
     * Runs on these Redis commands and this time instead of the connection's and the system's: for unit
     * tests, called once right after the constructor, before any other call (start() then publishes it).
     */
    EventWriter using(ScriptCommands commands, LongSupplier ticker, Pause pause) {
        this.redis = commands;
        this.ticker = ticker;
        this.pause = pause;
        this.lastDropLogNanos = ticker.getAsLong() - DROP_LOG_INTERVAL_NANOS - 1;
        return this;
    }

    public void start() {
        writer.start();
    }

    /**
     * Queues an event for Redis. Returns false, after logging and counting it, when the buffer is full.
     * Never blocks: a Slack reader thread must never wait on Redis.
     */
    public boolean offer(BotId bot, Translated translated, Arrival arrival) {
        return offer(bot, translated, arrival, null);
    }

    /**
     * As {@link #offer(BotId, Translated, Arrival)}, and runs {@code stored} on the writer thread once the
     * event is durably in Redis: pushed by this write, or already there (a duplicate another broker pushed).
     * It never runs for an event that was dropped or is still waiting when the broker closes: Socket Mode
     * and the Events API acknowledge an event only then, so that Slack redelivers everything else.
     *
     * <p>The event's span starts here, back-dated to {@code arrival}, under the caller's current context (an
     * Events API request's span); while tracing is on the event carries its {@code traceparent}.
     */
    public boolean offer(BotId bot, Translated translated, Arrival arrival, Runnable stored) {
        if (closing) {
            // The sockets stop before the writer closes, so only a straggler gets here; nothing would write it.
            log.warn(
                    "event {} of {} offered after the writer closed: not written",
                    translated.event().type(),
                    bot);
            arrival.lost("broker closed before the event was in Redis");
            return false;
        }
        metrics.eventsIn.increment();
        Translated traced = tracing.received(arrival, translated);
        Pending p = new Pending(bot, traced, RelaxJson.encodeEvent(traced.event()), arrival, stored);
        if (outstanding.incrementAndGet() <= capacity) {
            queue.add(p);
            return true;
        }
        outstanding.decrementAndGet();
        metrics.eventsDropped.increment();
        arrival.lost("event buffer full");
        long now = ticker.getAsLong();
        if (now - lastDropLogNanos > DROP_LOG_INTERVAL_NANOS) {
            lastDropLogNanos = now;
            log.error(
                    "event buffer full ({} events waiting for Redis): dropping event type={} team={}; "
                            + "relax_events_dropped_total={}",
                    capacity,
                    translated.event().type(),
                    bot,
                    (long) metrics.eventsDropped.count());
        }
        return false;
    }

    /** False while the last write to Redis failed. */
    public boolean healthy() {
        return !outage;
    }

    /** Events waiting for Redis, including a batch being written. */
    public long depth() {
        return outstanding.get();
    }

    /**
     * Waits until every queued event is in Redis, or until {@code timeout}; returns whether all were
     * written. Used on shutdown, after the sockets stopped reading.
     */
    public boolean flush(Duration timeout) {
        long deadline = ticker.getAsLong() + timeout.toNanos();
        while (ticker.getAsLong() < deadline) {
            if (outstanding.get() == 0) {
                return true;
            }
            try {
                pause.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return outstanding.get() == 0;
    }

    @Override
    public void close() {
        closing = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = depth();
        if (left > 0) {
            log.error("closing with {} events not written to Redis", left);
            if (!writer.isAlive()) { // else the batch is still the writer thread's
                batch.forEach(p -> p.arrival().lost("broker closed before the event was in Redis"));
            }
            queue.forEach(p -> p.arrival().lost("broker closed before the event was in Redis"));
        }
    }

    private void run() {
        preloadScript();
        long backoffMillis = 50;
        while (!closing) {
            try {
                if (batch.isEmpty()) {
                    Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, batchSize - 1);
                    linger();
                }
                write();
                outstanding.addAndGet(-batch.size());
                long now = ticker.getAsLong();
                for (Pending p : batch) {
                    stored(p.arrival(), now);
                    p.arrival().stored();
                    if (p.stored() != null) {
                        runQuietly(p.stored());
                    }
                }
                batch.clear();
                backoffMillis = 50;
                if (outage) {
                    outage = false;
                    log.info(
                            "Redis is back after {} ms; writing the {} events that waited",
                            TimeUnit.NANOSECONDS.toMillis(ticker.getAsLong() - outageStartedNanos),
                            depth());
                }
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
            } catch (RuntimeException e) {
                metrics.redisErrors.increment();
                if (String.valueOf(e.getMessage()).contains("WRONGTYPE")) {
                    // Not an outage: a key of the wrong type. Nothing is pushed or marked until an operator
                    // fixes it, so say exactly which keys, every time.
                    log.error(
                            "cannot push events: {} or {} holds a value of the wrong type ({}); {} events wait",
                            queueKey,
                            mutexKey,
                            e.getMessage(),
                            depth());
                }
                if (!outage) {
                    outage = true;
                    outageStartedNanos = ticker.getAsLong();
                    log.warn(
                            "cannot write events to Redis ({}); keeping {} events in memory and retrying",
                            e.toString(),
                            depth());
                } else {
                    log.debug("Redis still unavailable: {}", e.toString());
                }
                try {
                    pause.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    if (closing) {
                        return;
                    }
                }
                backoffMillis = Math.min(2_000, backoffMillis * 2);
            }
        }
    }

    /**
     * Once the first event of a batch is in, waits {@code linger} (unless the batch is full) and takes
     * what arrived meanwhile: at a few thousand events per second a batch then holds several events, so
     * the broker and Redis run one script for them instead of one each (docs/performance.md). A plain
     * sleep, not a poll per event, so that the writer wakes once per batch.
     */
    private void linger() throws InterruptedException {
        if (lingerNanos <= 0 || batch.size() >= batchSize) {
            return;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(lingerNanos);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        queue.drainTo(batch, batchSize - batch.size());
    }

    /** Times an event of Slack's that is now in Redis: since its receipt, and since Slack's own time of it. */
    private void stored(Arrival arrival, long nowNanos) {
        if (arrival.transport() != Arrival.Transport.BROKER) {
            metrics.eventStored(arrival.transport().label(), nowNanos - arrival.receivedNanos(), arrival.slackMillis());
        }
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // An acknowledgement that fails must not stop the writer serving every other bot.
            log.warn("after-write callback failed: {}", e.toString());
        }
    }

    /**
     * Loads the batch script before the first event, so that the first batch after a start is one EVALSHA
     * and not a SCRIPT LOAD ahead of it. When Redis cannot be reached yet, the first write loads it.
     */
    private void preloadScript() {
        try {
            scriptSha = redis.scriptLoad(mode == MutexMode.HASH ? EventScripts.HASH : EventScripts.BOUNDED);
        } catch (RuntimeException e) {
            log.debug("event script not loaded at start, the first write loads it: {}", e.toString());
        }
    }

    /** Runs the script for the current batch; throws when Redis fails. */
    private void write() {
        List<String> keys = new ArrayList<>(batch.size() + 2);
        List<String> args = new ArrayList<>(batch.size() * 2 + 1);
        keys.add(queueKey);
        String script;
        if (mode == MutexMode.HASH) {
            keys.add(mutexKey);
            for (Pending p : batch) {
                args.add(p.translated().dedupe().hashField());
                args.add(p.json());
            }
            script = EventScripts.HASH;
        } else {
            args.add(Long.toString(dedupeTtlSeconds));
            for (Pending p : batch) {
                keys.add(p.translated().dedupe().boundedKey(mutexKey));
                args.add(p.json());
            }
            script = EventScripts.BOUNDED;
        }
        long pushed = eval(script, keys.toArray(String[]::new), args.toArray(String[]::new));
        metrics.eventsOut.increment(pushed);
        metrics.eventsDeduplicated.increment(batch.size() - pushed);
        if (log.isDebugEnabled()) {
            log.debug(
                    "wrote batch of {} events to {}: {} new, {} deduplicated",
                    batch.size(),
                    queueKey,
                    pushed,
                    batch.size() - pushed);
        }
    }

    private long eval(String script, String[] keys, String[] args) {
        if (scriptSha == null) {
            scriptSha = redis.scriptLoad(script);
        }
        try {
            return redis.evalsha(scriptSha, keys, args);
        } catch (RedisNoScriptException e) {
            // Redis restarted and forgot the script: load it again and retry once.
            scriptSha = redis.scriptLoad(script);
            return redis.evalsha(scriptSha, keys, args);
        }
    }
}
