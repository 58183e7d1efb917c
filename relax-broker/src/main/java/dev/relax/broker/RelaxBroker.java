/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.BrokerParts;
import dev.relax.broker.internal.CommandLoop;
import dev.relax.broker.internal.SlackIo;
import dev.relax.broker.internal.calls.CallQueue;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.http.HealthServer;
import dev.relax.broker.internal.http.ReadyDocument;
import dev.relax.broker.internal.http.SlackEventsHandler;
import dev.relax.broker.internal.http.SlackRequestVerifier;
import dev.relax.broker.internal.oauth.InstallHandler;
import dev.relax.broker.internal.oauth.OAuthBackend;
import dev.relax.broker.internal.oauth.RedirectHandler;
import dev.relax.broker.internal.redis.CommandSubscriber;
import dev.relax.broker.internal.redis.RedisConnections;
import dev.relax.broker.internal.redis.RedisRetry;
import dev.relax.broker.internal.redis.RedisServerCheck;
import dev.relax.broker.internal.slack.HotPathWarmup;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.core.RelaxConfig;
import dev.relax.core.RelaxException;
import dev.relax.core.internal.Redaction;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Relax broker: connects every bot registered in Redis to Slack and pushes their events onto the
 * events queue, exactly once across a fleet of brokers. Embeddable; several may run in one JVM.
 *
 * <pre>{@code
 * try (RelaxBroker broker = RelaxBroker.builder(RelaxConfig.fromEnv(System.getenv())).build().start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #start()} returns at once: the broker connects to Redis in the background and keeps trying
 * while Redis is unreachable; {@link #isReady()} says when it serves. {@link #close()} stops the bots
 * (sockets closed with code 1000), pushes every event still in memory to Redis, and releases everything
 * the broker created.
 *
 * <p>A broker that cannot run at all closes itself, and {@link #failure()} says why: a Redis older than
 * 6.2 (checked whenever the broker connects to Redis, since a failover may land on another server).
 * {@link #awaitClose()} then returns, so an embedding application learns it as it learns of any stop.
 */
public final class RelaxBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelaxBroker.class);

    private final RelaxConfig config;
    private final BrokerOptions options;
    /**
     * This broker among the others, made once: its holder id in leases, the broker registry and message
     * claims, and its consumer name {@code broker-<id>} in the calls stream's group.
     */
    private final String id = UUID.randomUUID().toString();

    private final Clock clock = Clock.systemUTC();
    /** For durations and deadlines (socket silence, lease validity), never wall time. */
    private final LongSupplier ticker = System::nanoTime;

    private final BrokerMetrics metrics = new BrokerMetrics(clock, true);
    private final ObjectMapper json = new ObjectMapper();
    private final RedisConnections redis;
    private final SlackIo io;
    private final BlockingQueue<CommandSubscriber.Item> commands = new LinkedBlockingQueue<>();
    private final CommandSubscriber subscriber;
    private final RedisRetry retry;
    private final RedisServerCheck server;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private volatile boolean closing;
    /** Why the broker stopped by itself; null while it runs (or was closed by its owner). */
    private volatile RelaxException failure;

    // Set once by the startup thread, once Redis answered; read by others.
    private volatile BrokerParts parts;
    /** Set by {@link #start()}, null when {@code RELAX_WARMUP=false}; stopped early by {@link #close()}. */
    private volatile HotPathWarmup warmup; // started by start(), stopped by close() from another thread

    private volatile CommandLoop commandLoop;
    private volatile boolean serving;

    private volatile HealthServer httpServer;
    /** {@code /}, {@code /ready}, {@code /metrics} alone, when {@link BrokerOptions#managementPort()} asks. */
    private volatile HealthServer managementServer;

    private volatile Thread startup;
    private volatile Thread commandThread;

    private final BrokerTracing tracing;

    private RelaxBroker(RelaxConfig config, BrokerOptions options, OpenTelemetry openTelemetry) {
        this.config = config;
        this.options = options;
        this.tracing = new BrokerTracing(openTelemetry);
        this.redis = new RedisConnections(config.redis());
        this.io = SlackIo.create(options.websocket(), config.slackHost(), json, tracing, metrics);
        this.subscriber = new CommandSubscriber(config.botsPubsub(), commands);
        this.retry = new RedisRetry(metrics, () -> closing, Thread::sleep);
        this.server = new RedisServerCheck(
                () -> redis.commands().sync().info("server"), config.redis().toString());
    }

    /** A builder for a broker with {@code config} and the default {@link BrokerOptions}. */
    public static Builder builder(RelaxConfig config) {
        return new Builder(config);
    }

    /** A broker configured from the Go broker's environment plus the {@code RELAX_*} options. */
    public static RelaxBroker fromEnv(Map<String, String> env) {
        return builder(RelaxConfig.fromEnv(env))
                .options(BrokerOptions.fromEnv(env))
                .build();
    }

    /** Starts the HTTP server and, in the background, Redis, the bots and the command listener. */
    public RelaxBroker start() {
        httpServer = listen(config.port(), "");
        httpServer.route(
                SlackEventsHandler.CONTEXT,
                new SlackEventsHandler(
                        this::slackApps,
                        new SlackRequestVerifier(clock),
                        metrics,
                        SlackEventsHandler.Limits.of(options.httpMaxBody(), options.httpMaxInFlight()),
                        io.timers()));
        // The longest matching context wins: these two are not the Events API's.
        httpServer.route(InstallHandler.CONTEXT, new InstallHandler(this::oauthApps, config.slackHost()));
        httpServer.route(
                RedirectHandler.CONTEXT, new RedirectHandler(this::oauthApps, config.slackHost(), clock, metrics));
        httpServer.start();
        if (options.managementPort() != BrokerOptions.NO_MANAGEMENT_PORT) {
            try {
                managementServer = listen(options.managementPort(), " (RELAX_MANAGEMENT_PORT)");
            } catch (RelaxException e) {
                httpServer.close();
                throw e;
            }
            managementServer.start();
            log.info("health and metrics also on {}:{}", options.httpHost(), managementServer.port());
        }
        if (options.warmup()) {
            // Alongside the connect to Redis and the logins; it makes no event (see HotPathWarmup).
            warmup = HotPathWarmup.start(json.getFactory(), clock, HotPathWarmup.DEFAULT_ROUNDS);
        }
        startup = Thread.ofVirtual().name("relax-startup").start(this::connectAndServe);
        log.info(
                "relax broker {} listening on {}:{} (redis {}, slack {}, websockets {})",
                id,
                options.httpHost(),
                httpServer.port(),
                config.redis(),
                Redaction.redact(config.slackHost().toString()),
                options.websocket().name().toLowerCase(Locale.ROOT));
        return this;
    }

    /** A server of {@code /}, {@code /ready} and {@code /metrics} on {@code port}; {@code setting} names it. */
    private HealthServer listen(int port, String setting) {
        try {
            return new HealthServer(options.httpHost(), port, this::isReady, this::readyJson, metrics);
        } catch (IOException e) {
            throw new RelaxException(
                    "cannot listen on " + options.httpHost() + ":" + port + setting + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the Events API endpoints need, or null (they answer 503, which Slack retries) until the apps
     * are loaded: before that every app would be refused as unknown, which Slack does not retry.
     */
    private SlackEventsHandler.Backend slackApps() {
        BrokerParts p = parts;
        CommandLoop loop = commandLoop;
        return p == null || loop == null || !loop.reconciled() ? null : p.slackBackend();
    }

    /** What the install endpoints need, or null (they answer 503) until the apps are loaded. */
    private OAuthBackend oauthApps() {
        BrokerParts p = parts;
        CommandLoop loop = commandLoop;
        return p == null || loop == null || !loop.reconciled() ? null : p.oauthBackend();
    }

    /** The port of the HTTP server ({@code /}, {@code /ready}, {@code /metrics}, {@code /slack/...}). */
    public int httpPort() {
        return httpServer.port();
    }

    /**
     * The port that serves only {@code /}, {@code /ready} and {@code /metrics}, when {@link
     * BrokerOptions#managementPort()} asked for one; empty otherwise.
     */
    public OptionalInt managementPort() {
        HealthServer m = managementServer;
        return m == null ? OptionalInt.empty() : OptionalInt.of(m.port());
    }

    /**
     * True while Redis is reachable and commands are subscribed, once the bots and the apps have been
     * loaded: from then on the broker answers every registered app's Events API requests.
     */
    public boolean isReady() {
        BrokerParts p = parts;
        CommandLoop loop = commandLoop;
        return serving
                && loop != null
                && loop.reconciled()
                && failure == null
                && !closing
                && p != null
                && p.eventsHealthy()
                && redis.subscriptionOpen()
                && subscriber.subscribed();
    }

    /**
     * Why the broker stopped by itself, or empty while it runs or when its owner closed it. Today one
     * cause: Redis is older than 6.2 (the message names the version found, what needs 6.2 and where
     * Redis is). {@link #awaitClose()} returns once such a broker has closed.
     */
    public Optional<RelaxException> failure() {
        return Optional.ofNullable(failure);
    }

    /** The configuration this broker runs with. */
    public RelaxConfig config() {
        return config;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    private String readyJson() {
        BrokerParts p = parts;
        ReadyDocument doc = p == null
                ? new ReadyDocument(false, false, 0, Map.of(), 0, 0)
                : p.readiness(isReady(), redis.subscriptionOpen());
        return doc.toJson(json);
    }

    /** The startup thread: connects to Redis (retrying while it is unreachable), then serves. */
    private void connectAndServe() {
        try {
            if (!retry.run("connect to Redis at " + config.redis(), this::connectRedis)) {
                return; // closing
            }
        } catch (RedisServerCheck.Unsupported e) {
            refuse(e);
            return;
        }
        commandThread = Thread.ofVirtual().name("relax-commands").start(commandLoop);
        commands.add(new CommandSubscriber.Reconcile());
        parts.serve(new CallQueue(
                redis::openConnection,
                config,
                io.api(),
                metrics,
                json,
                options.callInterval(),
                options.callMaxAttempts(),
                options.callClaimIdle(),
                options.callMaxHeld(),
                options.shutdownTimeout(),
                "broker-" + id,
                parts.tokenRefresher()));
        serving = true;
    }

    /** One attempt: opens what is not open yet, checks the server, wires the parts once, subscribes. */
    private void connectRedis() {
        redis.connect();
        // Before anything uses a command an older Redis lacks.
        server.verify();
        if (parts == null) {
            BrokerParts p = new BrokerParts(config, options, id, clock, ticker, metrics, json, redis, io);
            var sync = redis.commands().sync();
            commandLoop = new CommandLoop(
                    config,
                    commands,
                    p.fleet(),
                    p.appFleet(),
                    new CommandLoop.Hashes(sync::hget, sync::hgetall),
                    retry,
                    server,
                    metrics,
                    this::refuse);
            parts = p;
        }
        redis.subscribe(subscriber);
    }

    /** Stops the broker for good: logs why, keeps it for {@link #failure()}, and closes on another thread. */
    private void refuse(RelaxException why) {
        failure = why;
        log.error("{}; the broker stops", why.getMessage());
        // Not on this thread: close() joins the startup and command threads, one of which this is.
        Thread.ofVirtual().name("relax-refuse").start(this::close);
    }

    /**
     * Stops the broker: stops taking commands, lets the Web API calls it has sent to Slack finish (up to
     * the shutdown timeout; the others go to the other brokers), closes every bot's socket with 1000 (so no
     * more frames are read), pushes the events still in memory to Redis (up to the shutdown timeout), then
     * releases Redis, threads and the HTTP server.
     */
    @Override
    public void close() {
        if (!closeStarted.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        log.info("relax broker stopping");
        try {
            if (warmup != null) {
                warmup.close();
            }
            interruptAndJoin(startup);
            // Joined before the bots stop, so that a command under way cannot start a bot afterwards.
            interruptAndJoin(commandThread);
            BrokerParts p = parts;
            if (p != null) {
                p.stop();
            }
        } finally {
            redis.close();
            io.close();
            if (managementServer != null) {
                managementServer.close();
            }
            if (httpServer != null) {
                httpServer.close();
            }
            metrics.close();
            log.info("relax broker stopped");
            closed.countDown();
        }
    }

    private static void interruptAndJoin(Thread t) {
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds a {@link RelaxBroker}. */
    public static final class Builder {
        private final RelaxConfig config;
        private BrokerOptions options = BrokerOptions.defaults();
        private OpenTelemetry openTelemetry;

        private Builder(RelaxConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The broker's own settings; {@link BrokerOptions#defaults()} when not given. */
        public Builder options(BrokerOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Where the broker's spans go (docs/operations.md, "Traces"). When not given, the global one as it is
         * when {@link #build()} runs ({@link GlobalOpenTelemetry#getOrNoop()}, which never sets it, so the
         * application may still register its SDK later for itself): a no-op unless the application or an
         * agent registered an SDK before. With a no-op,
         * events carry no {@code traceparent}: they are byte for byte the Go broker's.
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /** A broker, not started yet: see {@link RelaxBroker#start()}. */
        public RelaxBroker build() {
            return new RelaxBroker(
                    config, options, openTelemetry != null ? openTelemetry : GlobalOpenTelemetry.getOrNoop());
        }
    }
}
