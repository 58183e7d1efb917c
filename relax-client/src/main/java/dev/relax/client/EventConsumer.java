/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client;

import dev.relax.client.internal.ClientTracing;
import dev.relax.client.internal.ConsumerLoop;
import dev.relax.client.internal.ConsumerMeters;
import dev.relax.client.internal.ConsumerSettings;
import dev.relax.client.internal.MicrometerMeters;
import dev.relax.client.internal.RedisConnections;
import dev.relax.client.internal.RelaxMeters;
import dev.relax.core.RelaxException;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.internal.RedisRequirement;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Takes events off the events queue and runs your callbacks, at least once each.
 *
 * <p>Delivery: an event is moved atomically from the queue to this consumer's processing list
 * ({@code BLMOVE}), and removed from it only after its handler returned. A consumer that dies leaves its
 * events in its list; the other consumers notice its heartbeat expire and put them back at the head of
 * the queue. A handler that throws is retried with back-off, then the event goes to the dead-letter list
 * {@code <queue>:dead} with the error (the newest {@link Builder#deadLetterLimit(int)} entries are kept);
 * an event that is not valid JSON goes there at once. The queue's format is the protocol's, so apps that
 * still {@code BLPOP} it keep working beside consumers.
 *
 * <p>Handlers run on virtual threads, at most {@link Builder#concurrency(int)} at once; with
 * {@link Ordering#PER_CHANNEL} (or {@link Ordering#PER_TEAM}) events of one channel (or team) run one at a
 * time, in queue order.
 *
 * <p>A consumer owns threads and two Redis connections until it stops: stop it with {@link #stop(Duration)}
 * (choosing how long handlers under way may finish), or close it, as try-with-resources does:
 *
 * <pre>{@code
 * try (EventConsumer consumer = relax.consumer().on(MessageNew.class, m -> ...).start()) {
 *     ... // until the app shuts down
 * } // stop(DEFAULT_STOP_DEADLINE)
 * }</pre>
 */
public final class EventConsumer implements AutoCloseable {
    /** How long {@link #close()} lets the handlers under way finish: 10 seconds. */
    public static final Duration DEFAULT_STOP_DEADLINE = Duration.ofSeconds(10);

    private final ConsumerLoop loop;

    private EventConsumer(ConsumerLoop loop) {
        this.loop = loop;
    }

    /** Which events must not run concurrently with each other. */
    public enum Ordering {
        /** Any events may run at the same time. */
        NONE,
        /** Events of one channel (of one team) run one at a time, in queue order. */
        PER_CHANNEL,
        /** Events of one team run one at a time, in queue order. */
        PER_TEAM
    }

    /** This consumer's id, which names its processing list and heartbeat in Redis. */
    public String id() {
        return loop.id();
    }

    /** Events this consumer handled successfully so far. */
    public long handled() {
        return loop.handled();
    }

    /**
     * Stops taking events, lets the handlers under way finish until {@code deadline}, then returns the
     * events still unfinished to the head of the queue (another consumer, or this one restarted, gets
     * them again). Returns whether every handler finished in time.
     *
     * <p>While it waits, the consumer keeps its heartbeat, so other consumers leave its events alone
     * however long the deadline, and it takes no new event from the queue (events it already holds, such
     * as those waiting behind their channel, are still handled). A handler still running at the deadline
     * is interrupted and its event returned, exactly once: whatever that handler does afterwards (returns,
     * throws) is ignored; it is not retried, acknowledged or dead-lettered. A handler that ignores the
     * interrupt may still run when another consumer takes its event, which is then handled twice at
     * once: handlers should honour interruption.
     *
     * <p>Only the first call (of this or {@link #close()}) stops; a later one returns at once, saying whether
     * no handler runs any more.
     */
    public boolean stop(Duration deadline) {
        return loop.stop(Objects.requireNonNull(deadline, "deadline"));
    }

    /**
     * {@link #stop(Duration) stop(DEFAULT_STOP_DEADLINE)}: lets the handlers under way finish for up to ten
     * seconds, then returns the unfinished events to the queue. Closing again, or after stop(), does nothing.
     */
    @Override
    public void close() {
        stop(DEFAULT_STOP_DEADLINE);
    }

    /** Configures and starts an {@link EventConsumer}; get one from {@link RelaxClient#consumer()}. */
    public static final class Builder {
        private final RedisConnections redis;
        private final String queue;
        private final Map<Class<? extends RelaxEvent>, EventHandler<? extends RelaxEvent>> handlers =
                new LinkedHashMap<>();
        private EventHandler<RelaxEvent> fallback;
        private ErrorHandler errors = failure -> {};
        private String id = UUID.randomUUID().toString();
        private int concurrency = 16;
        private Ordering ordering = Ordering.NONE;
        private int maxAttempts = 3;
        private Duration retryBackoff = Duration.ofMillis(200);
        private Duration heartbeat = Duration.ofSeconds(10);
        private int deadLetterLimit = 10_000;
        private OpenTelemetry openTelemetry;
        /** The client's, unless {@link #meterRegistry(MeterRegistry)} gave another. */
        private RelaxMeters meters;

        Builder(RedisConnections redis, String queue, OpenTelemetry openTelemetry, RelaxMeters meters) {
            this.redis = redis;
            this.queue = queue;
            this.openTelemetry = openTelemetry;
            this.meters = meters;
        }

        /** Runs {@code handler} for events of {@code type}, such as {@code MessageNew.class}. */
        public <T extends RelaxEvent> Builder on(Class<T> type, EventHandler<? super T> handler) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(handler, "handler");
            if (handlers.containsKey(type)) {
                throw new IllegalArgumentException("a handler for " + type.getSimpleName() + " is already registered");
            }
            handlers.put(type, handler);
            return this;
        }

        /**
         * Runs {@code handler} for every event no typed handler takes, including events of types this
         * version does not know ({@link dev.relax.core.event.UnknownEvent}). Without it such events are
         * acknowledged and skipped.
         */
        public Builder onAny(EventHandler<RelaxEvent> handler) {
            this.fallback = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Told about each event that went to the dead-letter list. */
        public Builder onError(ErrorHandler handler) {
            this.errors = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** The consumer's id (default: random). Give a stable id to resume this consumer's own unfinished events after a restart. */
        public Builder id(String id) {
            if (id == null || id.isBlank() || id.contains(" ")) {
                throw new IllegalArgumentException("id must be a non-empty word, was '" + id + "'");
            }
            this.id = id;
            return this;
        }

        /** Most handlers running at once (default 16). */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /** Which events run one at a time (default {@link Ordering#NONE}). */
        public Builder ordering(Ordering ordering) {
            this.ordering = Objects.requireNonNull(ordering, "ordering");
            return this;
        }

        /** How often a handler runs for one event before it is dead-lettered (default 3). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The delay before the first retry; it doubles for each further one (default 200 ms). */
        public Builder retryBackoff(Duration backoff) {
            if (backoff == null || backoff.isNegative()) {
                throw new IllegalArgumentException("retryBackoff must be zero or positive, was " + backoff);
            }
            this.retryBackoff = backoff;
            return this;
        }

        /**
         * How long this consumer's heartbeat lives (default 10 s; refreshed every third of it). After it
         * expires other consumers take its unfinished events back. A handler may run longer than this: the
         * heartbeat is kept by its own thread, also while {@link EventConsumer#stop(Duration)} waits.
         */
        public Builder heartbeat(Duration ttl) {
            if (ttl == null || ttl.toMillis() < 300) {
                throw new IllegalArgumentException("heartbeat must be at least 300 ms, was " + ttl);
            }
            this.heartbeat = ttl;
            return this;
        }

        /**
         * Most entries kept on the dead-letter list {@code <queue>:dead} (default 10,000): each new dead
         * letter drops the oldest beyond this, in the same Lua script that adds it, so that a poison event
         * storm or a handler bug cannot fill Redis's memory. The default holds a day of a steady trickle of
         * failures (one every ten seconds), and at a few KB an entry stays within tens of MB. Consumers of
         * one queue share the list, and each trims it to its own limit when it adds: give them the same.
         */
        public Builder deadLetterLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("deadLetterLimit must be at least 1, was " + limit);
            }
            this.deadLetterLimit = limit;
            return this;
        }

        /**
         * Reports this consumer's handler runs, retries, dead letters and queue figures to {@code registry}
         * (Micrometer; see docs/operations.md, "Client metrics"). By default the consumer uses its client's
         * registry ({@link RelaxClient.Builder#meterRegistry(MeterRegistry)}), and without one measures
         * nothing: Micrometer is an optional dependency, needed only by applications that call this.
         *
         * <p>The queue figures (its length, the age of its oldest event, this consumer's processing list)
         * are read from Redis once per heartbeat beat (a third of {@link #heartbeat(Duration)}), so a
         * scrape never waits for Redis; they read NaN until the first beat, and while Redis is away.
         *
         * <pre>{@code
         * relax.consumer().meterRegistry(registry).on(MessageNew.class, m -> ...).start();
         * }</pre>
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meters = new MicrometerMeters(registry);
            return this;
        }

        /**
         * Where the handlers' spans go (docs/operations.md, "Traces"): each event's handling is a span, a
         * child of the broker's span that received the event, current while the handler runs, so that calls
         * queued in it join the trace. The client's ({@link RelaxClient.Builder#openTelemetry}) by default.
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /**
         * Fails at once, saying why, on a Redis without BLMOVE (older than 6.2), rather than later in a loop.
         * A server that refuses {@code INFO} (a user of least privilege) is not refused: its version is
         * unknown, and the consumer needs nothing else of it.
         */
        private void requireBlmove() {
            try (var connection = redis.connect()) {
                String info;
                try {
                    info = connection.sync().info("server");
                } catch (io.lettuce.core.RedisCommandExecutionException e) {
                    if (!RedisRequirement.infoRefused(e.getMessage())) {
                        throw e;
                    }
                    org.slf4j.LoggerFactory.getLogger(EventConsumer.class)
                            .warn(
                                    "Redis refused INFO ({}); its version is not checked: consumers need Redis {} or newer",
                                    dev.relax.core.internal.Redaction.redact(e.getMessage()),
                                    RedisRequirement.MINIMUM);
                    return;
                }
                RedisRequirement.problem(
                                info,
                                "an EventConsumer",
                                "BLMOVE and LMOVE move each event to the consumer's list",
                                null)
                        .ifPresent(problem -> {
                            throw new RelaxException(problem);
                        });
            }
        }

        /** Starts consuming. Fails with a {@link RelaxException} on a Redis older than 6.2. */
        public EventConsumer start() {
            if (handlers.isEmpty() && fallback == null) {
                throw new IllegalStateException("register at least one handler (on(...) or onAny(...)) before start()");
            }
            requireBlmove();
            ConsumerSettings settings = new ConsumerSettings(
                    queue, id, concurrency, ordering, maxAttempts, retryBackoff, heartbeat, deadLetterLimit);
            ConsumerMeters consumerMeters = meters.consumer(queue, id);
            try {
                return new EventConsumer(ConsumerLoop.start(
                        redis,
                        settings,
                        new LinkedHashMap<>(handlers),
                        fallback,
                        errors,
                        new ClientTracing(openTelemetry != null ? openTelemetry : GlobalOpenTelemetry.getOrNoop()),
                        consumerMeters));
            } catch (RuntimeException e) {
                consumerMeters.close(); // its gauges must not outlive a consumer that never ran
                throw e;
            }
        }
    }
}
