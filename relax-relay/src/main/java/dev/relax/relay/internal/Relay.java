/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import dev.relax.client.EventConsumer;
import dev.relax.client.RelaxClient;
import dev.relax.core.RelaxException;
import dev.relax.core.event.MessageNew;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay: takes the questions among the events of a Relax events queue (a mention of the bot, a direct
 * message to it, a follow-up in a thread it answered in), asks the backend, and writes each answer into the
 * question's thread as it arrives.
 *
 * <p>The events are consumed by an {@link EventConsumer} (at-least-once, {@link
 * EventConsumer.Ordering#PER_CHANNEL}: one question at a time per conversation, so a follow-up waits for
 * the answer before it), with {@link RelaySettings#concurrency()} workers; while every worker is busy, the
 * events wait in Redis. {@link QuestionClaims} makes one question one answer across instances, and lets
 * another instance complete the answer of one that was killed.
 *
 * <pre>{@code
 * try (RelaxClient relax = RelaxClient.create(config);
 *         Relay relay = Relay.start(relax, RelaySettings.defaults(BackendSettings.defaults(url)))) {
 *     ...
 * }
 * }</pre>
 */
final class Relay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    /** How long a stopping relay waits for interrupted handlers to release their questions. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(2);
    /** How often buffered text is checked against the flush interval, and leases renewed at most. */
    private static final Duration TICK = Duration.ofMillis(200);

    static final String TRACER = "dev.relax.relay";

    private final RelaxClient relax;
    private final RelaySettings settings;
    private final BackendClient backend;
    private final RedisClient redisClient;
    /**
     * The claims client's, ours: reconnect attempts at most 1 s apart, as RelaxClient's, so that after a
     * Sentinel failover the relay asks the Sentinels for the new primary within a second (Lettuce's default
     * backs off to 30 s).
     */
    private final ClientResources redisResources = DefaultClientResources.builder()
            .reconnectDelay(Delay.exponential(Duration.ZERO, Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();

    private final StatefulRedisConnection<String, String> redis;
    private final QuestionClaims claims;
    private final Triggers triggers;
    /** Runs the results of Slack calls off Lettuce's threads (SlackCalls.of). */
    private final ExecutorService callbacks;

    private final ScheduledExecutorService ticker;
    /** The answers being written, by question id: ticked, and abandoned when their claim is lost. */
    private final Map<String, AnswerWriter> writing = new ConcurrentHashMap<>();
    /** The questions this instance holds a lease on. */
    private final Set<String> leased = ConcurrentHashMap.newKeySet();
    /** Renews the leases on a thread of its own, never behind a writer's lock or a Slack call. */
    private final ScheduledExecutorService renewer;

    private final Answerer answerer;
    private final EventConsumer consumer;
    private final AtomicLong questionsDone = new AtomicLong();

    private Relay(
            RelaxClient relax,
            RelaySettings settings,
            Clock clock,
            OpenTelemetry openTelemetry,
            MeterRegistry registry) {
        this.relax = relax;
        this.settings = settings;
        this.backend = new BackendClient(settings.backend());
        this.redisClient = RedisClient.create(
                redisResources, RedisURI.create(relax.config().redis().toClientUrl()));
        StatefulRedisConnection<String, String> connection;
        try {
            connection = redisClient.connect();
        } catch (RuntimeException e) {
            backend.close();
            redisClient.shutdown();
            redisResources.shutdown();
            throw new RelaxException(
                    "the relay cannot connect to Redis at " + relax.config().redis() + ": " + e, e);
        }
        this.redis = connection;
        String owner = "relay-" + UUID.randomUUID();
        this.claims = new QuestionClaims(redis.sync(), relax.config().eventsQueue(), owner, settings.lease());
        this.triggers = new Triggers(settings.followThreads());
        this.callbacks = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("relay-slack-results").daemon().factory());
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("relay-ticker").daemon().factory());
        this.renewer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("relay-leases").daemon().factory());
        RelayMeters meters = new RelayMeters(registry);
        meters.inFlight(leased::size);
        this.answerer = new Answerer(
                relax,
                SlackCalls.of(relax, callbacks),
                backend,
                claims,
                settings,
                clock,
                writing,
                meters,
                openTelemetry.getTracer(TRACER));
        long tick = TICK.toMillis();
        ticker.scheduleWithFixedDelay(this::tickWriters, tick, tick, TimeUnit.MILLISECONDS);
        long renew = Math.max(tick, settings.lease().toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renewLeases, renew, renew, TimeUnit.MILLISECONDS);
        Duration heartbeat =
                settings.lease().compareTo(Duration.ofSeconds(10)) < 0 ? settings.lease() : Duration.ofSeconds(10);
        try {
            this.consumer = relax.consumer()
                    .meterRegistry(registry)
                    .openTelemetry(openTelemetry)
                    .concurrency(settings.concurrency())
                    .ordering(EventConsumer.Ordering.PER_CHANNEL)
                    .heartbeat(heartbeat)
                    .on(MessageNew.class, this::handle)
                    .start();
        } catch (RuntimeException e) {
            closeOwn();
            throw e;
        }
    }

    /**
     * Starts consuming the events queue of {@code relax}'s configuration; returns at once. Traces go to
     * the global OpenTelemetry (none unless an SDK was installed), metrics nowhere.
     */
    static Relay start(RelaxClient relax, RelaySettings settings) {
        return start(relax, settings, Clock.systemUTC(), GlobalOpenTelemetry.getOrNoop(), new CompositeMeterRegistry());
    }

    /**
     * As above, with the clock that paces answers, where the spans go (the handler's span of each
     * question, its backend call as a client span, its Web API calls) and where the meters go
     * (RelayMeters, and the consumer's, whose queue length is the questions waiting for a worker).
     */
    static Relay start(
            RelaxClient relax,
            RelaySettings settings,
            Clock clock,
            OpenTelemetry openTelemetry,
            MeterRegistry registry) {
        return new Relay(
                Objects.requireNonNull(relax, "relax"),
                Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(openTelemetry, "openTelemetry"),
                Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Questions this instance is done with since it started: answered, given up, or left to the instance
     * that answered them already.
     */
    long questionsDone() {
        return questionsDone.get();
    }

    private void handle(MessageNew message) throws InterruptedException {
        Optional<Triggers.Question> asked = triggers.question(message, claims::answered);
        if (asked.isEmpty()) {
            return;
        }
        Triggers.Question question = asked.get();
        String id = questionId(message);
        QuestionClaims.Claim claim = claim(id);
        if (!(claim instanceof QuestionClaims.Acquired acquired)) {
            log.debug("question {} not answered here: {}", id, claim);
            questionsDone.incrementAndGet();
            return;
        }
        if (!acquired.openedTs().isEmpty()) {
            log.info(
                    "question {} was cut off mid-answer by a relay instance that stopped: asking the backend again"
                            + " and rewriting its message ts={}",
                    id,
                    acquired.openedTs());
        }
        leased.add(id);
        // Marked now, not once answered: a follow-up another instance takes meanwhile is a question too.
        claims.answeredIn(message.teamUid(), message.channelUid(), question.answerThreadTs());
        try {
            answerer.answer(message, question, id, acquired.openedTs());
        } catch (InterruptedException e) {
            // The relay is stopping past its stop timeout: the answer stays as it is, and the next delivery of
            // the event (another instance, or this one's next start) completes it without waiting for the lease.
            release(id);
            throw e;
        } finally {
            leased.remove(id);
        }
        questionsDone.incrementAndGet(); // after leaving `leased`: done means no longer in flight
    }

    private void release(String id) {
        try {
            claims.release(id);
        } catch (RuntimeException e) {
            log.warn(
                    "cannot release question {} (Redis: {}); another instance completes it once its lease ({})"
                            + " lapses",
                    id,
                    e.toString(),
                    settings.lease());
        }
    }

    /**
     * Takes the question, waiting out the lease of an instance that holds it (killed, it stops renewing;
     * alive, it answers and this delivery is dropped once the wait is over).
     */
    private QuestionClaims.Claim claim(String id) throws InterruptedException {
        long deadline = System.nanoTime() + settings.lease().multipliedBy(2).toNanos();
        QuestionClaims.Claim claim = claims.acquire(id);
        while (claim instanceof QuestionClaims.Busy && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(500, settings.lease().toMillis() / 4));
            claim = claims.acquire(id);
        }
        if (claim instanceof QuestionClaims.Busy) {
            log.info("question {} is being answered by another relay instance; this delivery is dropped", id);
        }
        return claim;
    }

    /**
     * The message's identity for one app: one per question, whichever event (message, app_mention, retry)
     * brought it; two apps in one channel each answer their own mentions.
     */
    static String questionId(MessageNew message) {
        String app = message.appId().isEmpty() ? "rtm" : message.appId();
        return app + ":" + message.teamUid() + ":" + message.channelUid() + ":" + message.ts();
    }

    private void tickWriters() {
        for (AnswerWriter writer : writing.values()) {
            try {
                writer.tick();
            } catch (RuntimeException e) {
                log.warn("an answer's tick failed: {}", e.toString());
            }
        }
    }

    private void renewLeases() {
        for (String id : leased) {
            try {
                if (claims.renew(id) || !leased.contains(id)) {
                    continue;
                }
                // The lease lapsed (Redis or this JVM stalled longer than the lease). Nobody took the question
                // meanwhile: take it back and go on, for no one else will (this instance acknowledges the event).
                QuestionClaims.Claim again = claims.acquire(id);
                if (again instanceof QuestionClaims.Acquired) {
                    log.warn(
                            "the relay's claim on question {} lapsed (Redis or this process stalled longer than the"
                                    + " lease {}?); no other instance took it, so it goes on answering",
                            id,
                            settings.lease());
                    continue;
                }
                if (again instanceof QuestionClaims.Busy) {
                    // Another instance took the question over: it rewrites the message, so this one stops
                    // writing at once rather than garble it.
                    log.warn(
                            "the relay lost its claim on question {} (Redis or this process stalled longer than the"
                                    + " lease {}?); it stops writing the answer and leaves it to the instance that"
                                    + " took it over",
                            id,
                            settings.lease());
                } // else answered meanwhile: by this instance just now, or by the one that took it over
                leased.remove(id); // never taken back: the writer below is done
                AnswerWriter writer = writing.get(id);
                if (writer != null) {
                    writer.abandon();
                }
            } catch (RuntimeException e) {
                log.warn("renewing the claim on question {} failed: {}", id, e.toString());
            }
        }
    }

    /**
     * Stops taking questions, lets the answers under way finish (up to {@link RelaySettings#stopTimeout()}),
     * then closes the backend client and Redis connection. Does not close {@code relax}. Questions not
     * finished are released and go back to the queue for another instance.
     */
    @Override
    public void close() {
        boolean finished = consumer.stop(settings.stopTimeout());
        if (!finished) {
            // The consumer interrupted the handlers; each releases its question, over the Redis closed below.
            long until = System.nanoTime() + RELEASE_WAIT.toNanos();
            while (!leased.isEmpty() && System.nanoTime() < until) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            log.warn(
                    "the relay stopped with answers under way (stop timeout {}): another instance completes them"
                            + " ({} not released: at once when released, else once their lease of {} lapses)",
                    settings.stopTimeout(),
                    leased.size(),
                    settings.lease());
        }
        closeOwn();
    }

    /** Frees what the relay created besides its consumer. */
    private void closeOwn() {
        ticker.shutdownNow();
        renewer.shutdownNow();
        backend.close();
        callbacks.shutdown();
        redis.close();
        redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        redisResources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "Relay[queue=" + relax.config().eventsQueue() + ", backend="
                + RelayEnvironment.redactUrl(settings.backend().url().toString()) + "]";
    }
}
