package dev.relax.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.apps.AppContext;
import dev.relax.broker.internal.apps.AppDirectory;
import dev.relax.broker.internal.apps.AppEventTranslator;
import dev.relax.broker.internal.apps.AppFleet;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.http.HealthServer;
import dev.relax.broker.internal.http.SlackEventsHandler;
import dev.relax.broker.internal.http.SlackRequestVerifier;
import dev.relax.broker.internal.redis.CommandSubscriber;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.redis.Leases;
import dev.relax.broker.internal.redis.SendClaims;
import dev.relax.broker.internal.slack.Backoff;
import dev.relax.broker.internal.slack.Fleet;
import dev.relax.broker.internal.slack.NvWebSocketTransport;
import dev.relax.broker.internal.slack.RtmBot;
import dev.relax.broker.internal.slack.RtmContext;
import dev.relax.broker.internal.slack.RtmSettings;
import dev.relax.broker.internal.slack.RtmTranslator;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.core.RelaxConfig;
import dev.relax.core.RelaxException;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.json.RelaxJsonException;
import dev.relax.core.protocol.Command;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final ObjectMapper json = new ObjectMapper();
    private final ClientResources resources;
    private final RedisClient redisClient;
    private final HttpClient http;
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    /** The websockets of RTM bots, and of Socket Mode apps (the same object unless RELAX_WEBSOCKET=auto). */
    private final dev.relax.broker.internal.slack.WebSocketTransport rtmTransport;

    private final dev.relax.broker.internal.slack.WebSocketTransport appTransport;
    private final BlockingQueue<CommandSubscriber.Item> commands = new LinkedBlockingQueue<>();
    private final CommandSubscriber subscriber;
    private final CountDownLatch closed = new CountDownLatch(1);

    // Set once the Redis connections are up (startup thread), read by others.
    private volatile StatefulRedisConnection<String, String> commandConnection;
    private volatile StatefulRedisConnection<String, String> eventConnection;
    private volatile StatefulRedisPubSubConnection<String, String> pubsubConnection;
    private volatile EventWriter events;
    private volatile Fleet fleet;
    private volatile AppDirectory apps;
    private volatile AppEventTranslator appEvents;
    private volatile AppFleet appFleet;
    private volatile boolean serving;
    /** Set by the command thread once the first reconciliation loaded the bots and the apps. */
    private volatile boolean reconciled;
    /** Why the broker stopped by itself; null while it runs (or was closed by its owner). */
    private volatile RelaxException failure;

    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicBoolean closeStarted =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile HealthServer httpServer;
    /** {@code /}, {@code /ready}, {@code /metrics} alone, when {@link BrokerOptions#managementPort()} asks. */
    private volatile HealthServer managementServer;
    /** Web API calls for Slack apps (the calls stream); set by the startup thread once Redis is up. */
    private volatile dev.relax.broker.internal.calls.CallQueue calls;

    private volatile Thread startup;
    private volatile Thread commandThread;

    private RelaxBroker(RelaxConfig config, BrokerOptions options) {
        this.config = config;
        this.options = options;
        this.resources = DefaultClientResources.create();
        this.redisClient = RedisClient.create(resources, redisUri(config));
        this.redisClient.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail fast while disconnected: the event writer keeps its own ordered buffer.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                .build());
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        var timerPool = new java.util.concurrent.ScheduledThreadPoolExecutor(
                2, Thread.ofPlatform().name("relax-timer-", 0).daemon().factory());
        // Every Slack request schedules its body deadline and cancels it when the body is in: cancelled
        // tasks leave the queue at once instead of piling up until their time comes.
        timerPool.setRemoveOnCancelPolicy(true);
        this.timers = timerPool;
        this.workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("relax-worker-", 0).factory());
        // RTM fleets on the JDK's websocket, Socket Mode's few sockets on nv-websocket-client, unless told
        // otherwise: docs/performance.md has the measurements behind this default.
        var library = options.websocket();
        this.rtmTransport = library == BrokerOptions.WebSocketLibrary.NV
                ? new NvWebSocketTransport(10_000)
                : new dev.relax.broker.internal.slack.JdkWebSocketTransport(10_000);
        this.appTransport =
                library == BrokerOptions.WebSocketLibrary.AUTO ? new NvWebSocketTransport(10_000) : rtmTransport;
        this.subscriber = new CommandSubscriber(config.botsPubsub(), commands);
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
        try {
            httpServer = new HealthServer(options.httpHost(), config.port(), this::isReady, this::readyJson, metrics);
        } catch (IOException e) {
            throw new RelaxException(
                    "cannot listen on " + options.httpHost() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        httpServer.route(
                SlackEventsHandler.CONTEXT,
                new SlackEventsHandler(
                        this::slackApps,
                        new SlackRequestVerifier(Clock.systemUTC()),
                        metrics,
                        SlackEventsHandler.Limits.of(options.httpMaxBody(), options.httpMaxInFlight()),
                        timers));
        httpServer.start();
        if (options.managementPort() != BrokerOptions.NO_MANAGEMENT_PORT) {
            try {
                managementServer = new HealthServer(
                        options.httpHost(), options.managementPort(), this::isReady, this::readyJson, metrics);
            } catch (IOException e) {
                httpServer.close();
                throw new RelaxException(
                        "cannot listen on " + options.httpHost() + ":" + options.managementPort()
                                + " (RELAX_MANAGEMENT_PORT): " + e.getMessage(),
                        e);
            }
            managementServer.start();
            log.info("health and metrics also on {}:{}", options.httpHost(), managementServer.port());
        }
        startup = Thread.ofVirtual().name("relax-startup").start(this::connectAndServe);
        log.info(
                "relax broker listening on {}:{} (redis {}, slack {}, websockets {})",
                options.httpHost(),
                httpServer.port(),
                config.redis(),
                dev.relax.core.internal.Redaction.redact(config.slackHost().toString()),
                options.websocket().name().toLowerCase(java.util.Locale.ROOT));
        return this;
    }

    /**
     * What the Events API endpoints need, or null (they answer 503, which Slack retries) until the apps
     * are loaded: before that every app would be refused as unknown, which Slack does not retry.
     */
    private SlackEventsHandler.Backend slackApps() {
        if (!reconciled) {
            return null;
        }
        AppDirectory directory = apps;
        AppEventTranslator translator = appEvents;
        EventWriter writer = events;
        return directory == null || translator == null || writer == null
                ? null
                : new SlackEventsHandler.Backend(directory, translator, writer);
    }

    /** The port of the HTTP server ({@code /}, {@code /ready}, {@code /metrics}, {@code /slack/...}). */
    public int httpPort() {
        return httpServer.port();
    }

    /**
     * The port that serves only {@code /}, {@code /ready} and {@code /metrics}, when {@link
     * BrokerOptions#managementPort()} asked for one; empty otherwise.
     */
    public java.util.OptionalInt managementPort() {
        HealthServer m = managementServer;
        return m == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(m.port());
    }

    /**
     * True while Redis is reachable and commands are subscribed, once the bots and the apps have been
     * loaded: from then on the broker answers every registered app's Events API requests.
     */
    public boolean isReady() {
        EventWriter w = events;
        StatefulRedisPubSubConnection<String, String> p = pubsubConnection;
        return serving
                && reconciled
                && failure == null
                && !closing
                && w != null
                && w.healthy()
                && p != null
                && p.isOpen()
                && subscriber.subscribed();
    }

    /**
     * Why the broker stopped by itself, or empty while it runs or when its owner closed it. Today one
     * cause: Redis is older than 6.2 (the message names the version found, what needs 6.2 and where
     * Redis is). {@link #awaitClose()} returns once such a broker has closed.
     */
    public java.util.Optional<RelaxException> failure() {
        return java.util.Optional.ofNullable(failure);
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
        StringBuilder out = new StringBuilder("{\"ready\":").append(isReady());
        EventWriter w = events;
        StatefulRedisPubSubConnection<String, String> p = pubsubConnection;
        out.append(",\"redis\":").append(w != null && w.healthy() && p != null && p.isOpen());
        out.append(",\"buffered_events\":").append(w == null ? 0 : w.depth());
        Fleet f = fleet;
        out.append(",\"bots\":{");
        if (f != null) {
            String sep = "";
            for (Map.Entry<RtmBot.State, Long> e : f.countByState().entrySet()) {
                out.append(sep)
                        .append('"')
                        .append(e.getKey().name().toLowerCase())
                        .append("\":")
                        .append(e.getValue());
                sep = ",";
            }
        }
        out.append('}');
        AppFleet af = appFleet;
        AppDirectory dir = apps;
        out.append(",\"apps\":").append(dir == null ? 0 : dir.apps().size());
        out.append(",\"socket_mode_connections\":").append(af == null ? 0 : af.openConnections());
        return out.append('}').toString();
    }

    private void connectAndServe() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        int attempt = 0;
        while (!closing) {
            try {
                connectRedis();
                break;
            } catch (UnsupportedRedis e) {
                refuse(e);
                return;
            } catch (RuntimeException e) {
                Duration delay = backoff.delay(attempt++);
                log.warn(
                        "cannot connect to Redis at {} ({}); retrying in {} ms",
                        config.redis(),
                        e.getMessage(),
                        delay.toMillis());
                metrics.redisErrors.increment();
                if (!sleep(delay)) {
                    return;
                }
            }
        }
        if (closing) {
            return;
        }
        commandThread = Thread.ofVirtual().name("relax-commands").start(this::processCommands);
        commands.add(new CommandSubscriber.Reconcile());
        appFleet.start();
        calls = new dev.relax.broker.internal.calls.CallQueue(
                redisClient,
                config,
                new SlackWebApi(http, config.slackHost(), Duration.ofSeconds(30), json),
                metrics,
                json,
                options.callInterval(),
                options.callMaxAttempts(),
                options.callClaimIdle(),
                options.callMaxHeld(),
                options.shutdownTimeout());
        calls.start();
        serving = true;
    }

    private void connectRedis() {
        if (eventConnection == null) {
            eventConnection = redisClient.connect();
        }
        if (commandConnection == null) {
            commandConnection = redisClient.connect();
        }
        // Before anything uses a command an older Redis lacks.
        unsupportedRedis(serverInfo()).ifPresent(problem -> {
            throw new UnsupportedRedis(problem);
        });
        if (events == null) {
            EventWriter w = new EventWriter(
                    eventConnection,
                    config.eventsQueue(),
                    config.mutexKey(),
                    config.mutexMode(),
                    options.dedupeTtl(),
                    options.bufferSize(),
                    options.batchSize(),
                    options.writeLinger(),
                    metrics);
            w.start();
            events = w;
        }
        if (fleet == null) {
            RtmContext ctx = new RtmContext(
                    new RtmSettings(
                            options.rtmMethod(),
                            options.pingInterval(),
                            options.maxMissedPongs(),
                            new Backoff(options.backoffInitial(), options.backoffMax()),
                            options.mentionsAndDmsOnly(),
                            1000),
                    new SlackWebApi(http, config.slackHost(), Duration.ofSeconds(30), json),
                    rtmTransport,
                    new RtmTranslator(Clock.systemUTC(), config.sendBotReplies(), json.getFactory()),
                    events,
                    new SendClaims(commandConnection, config.mutexKey(), config.mutexMode(), options.dedupeTtl()),
                    timers,
                    workers,
                    new Semaphore(options.loginConcurrency()),
                    metrics,
                    json,
                    Clock.systemUTC(),
                    field -> commandConnection.sync().hget(config.botsKey(), field),
                    System::nanoTime);
            Fleet f = new Fleet(ctx, options.startJitter());
            for (RtmBot.State s : RtmBot.State.values()) {
                metrics.gauge("relax_bots{state=\"" + s.name().toLowerCase() + "\"}", () -> f.countByState()
                        .get(s));
            }
            fleet = f;
            apps = new AppDirectory(field -> commandConnection.sync().hget(config.installationsKey(), field));
            appEvents = new AppEventTranslator(ctx.translator(), Clock.systemUTC());
            appFleet = new AppFleet(new AppContext(
                    config.appsKey(),
                    ctx.api(),
                    appTransport,
                    appEvents,
                    apps,
                    events,
                    new Leases(commandConnection, java.util.UUID.randomUUID().toString()),
                    timers,
                    workers,
                    metrics,
                    json,
                    Clock.systemUTC(),
                    options.appLeaseTtl(),
                    options.pingInterval(),
                    options.maxMissedPongs(),
                    new Backoff(options.backoffInitial(), options.backoffMax()),
                    System::nanoTime));
        }
        if (pubsubConnection == null) {
            StatefulRedisPubSubConnection<String, String> p = redisClient.connectPubSub();
            try {
                subscriber.subscribe(p);
            } catch (RuntimeException e) {
                // Else a later attempt would subscribe a second connection and apply every command twice.
                p.close();
                throw e;
            }
            pubsubConnection = p;
        }
    }

    /** The command thread: applies commands and reconciliations one at a time, in order. */
    private void processCommands() {
        while (!closing) {
            CommandSubscriber.Item item;
            try {
                item = commands.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                switch (item) {
                    case CommandSubscriber.Raw raw -> applyRaw(raw.json());
                    case CommandSubscriber.Reconcile r -> {
                        // After a reconnect: the server may be another one (a failover), and commands
                        // published meanwhile are lost, installation_added/_removed among them.
                        String info = withRedisRetry("read the Redis server's version", this::serverInfo);
                        var problem = unsupportedRedis(info);
                        if (problem.isPresent()) {
                            refuse(new UnsupportedRedis(problem.get()));
                            return;
                        }
                        apps.forgetInstallations();
                        withRedisRetry("reload the bots hash", () -> {
                            fleet.reconcile(commandConnection.sync().hgetall(config.botsKey()));
                            return null;
                        });
                        withRedisRetry("reload the apps hash", () -> {
                            reconcileApps(AppDirectory.decodeAll(
                                    commandConnection.sync().hgetall(config.appsKey())));
                            return null;
                        });
                        reconciled = !closing;
                    }
                }
            } catch (RuntimeException e) {
                // One bad command must not end the loop that serves every bot.
                metrics.commandsRejected.increment();
                log.error(
                        "command handling failed, continuing: {}",
                        dev.relax.core.internal.Redaction.redact(e.toString()),
                        dev.relax.core.internal.Redaction.redacted(e));
            }
        }
    }

    private void applyRaw(String raw) {
        metrics.commandsIn.increment();
        Command command;
        try {
            command = RelaxJson.decodeCommand(raw);
        } catch (RelaxJsonException e) {
            metrics.commandsRejected.increment();
            log.warn("command on {} ignored: {}", config.botsPubsub(), e.getMessage());
            return;
        }
        if (command instanceof Command.SendMessage m && m.id().isEmpty()) {
            // The contract: a message without an id gets one (the Go broker uses its clock). Each broker
            // makes its own, so only commands with an id are sent exactly once across a fleet.
            command =
                    new Command.SendMessage(m.bot(), java.util.UUID.randomUUID().toString(), m.payload());
        }
        if (command instanceof Command.AppCommand appCommand) {
            log.debug("command {} for app {}", command.type(), appCommand.appId());
            applyApp(appCommand);
            return;
        }
        Command.BotCommand toApply = (Command.BotCommand) command;
        log.debug("command {} for bot {}", command.type(), toApply.bot());
        fleet.apply(
                toApply,
                field -> withRedisRetry(
                        "read the registration of " + toApply.bot(),
                        () -> commandConnection.sync().hget(config.botsKey(), field)));
    }

    private void reconcileApps(Map<String, dev.relax.core.protocol.AppRegistration> registered) {
        if (registered.isEmpty() && !apps.apps().isEmpty()) {
            // As for bots: an empty hash looks like a Redis that lost its data, and forgetting the apps
            // would refuse every Events API request; app_removed still removes one.
            log.error(
                    "the apps hash {} is empty; keeping the {} apps this broker knows",
                    config.appsKey(),
                    apps.apps().size());
            return;
        }
        apps.replaceAll(registered);
        log.info("{} apps registered", registered.size());
        appFleet.refresh();
    }

    private void applyApp(Command.AppCommand command) {
        switch (command) {
            case Command.AppAdded added -> {
                String json = withRedisRetry(
                        "read the registration of app " + added.appId(),
                        () -> commandConnection.sync().hget(config.appsKey(), added.appId()));
                if (json == null) {
                    log.warn(
                            "app_added for app {}: no registration in {} field '{}'; ignored",
                            added.appId(),
                            config.appsKey(),
                            added.appId());
                    metrics.commandsRejected.increment();
                    return;
                }
                var app = AppDirectory.decode(added.appId(), json);
                if (app == null) {
                    metrics.commandsRejected.increment();
                    return;
                }
                apps.put(app);
                appFleet.registered(app.appId());
            }
            case Command.AppRemoved removed -> {
                apps.remove(removed.appId());
                appFleet.refresh();
            }
            case Command.InstallationAdded i -> apps.forgetInstallation(i.appId(), i.teamId());
            case Command.InstallationRemoved i -> apps.forgetInstallation(i.appId(), i.teamId());
        }
    }

    /**
     * {@code INFO server}, or "" when the server refuses it: a Redis user of least privilege is often
     * denied {@code INFO} (it is in the {@code @dangerous} ACL category), and everything else the broker
     * needs works without it. The version is then not checked, which the log says once.
     */
    private String serverInfo() {
        try {
            return commandConnection.sync().info("server");
        } catch (io.lettuce.core.RedisCommandExecutionException e) {
            if (!dev.relax.core.internal.RedisRequirement.infoRefused(e.getMessage())) {
                throw e; // LOADING, BUSY, MASTERDOWN...: retried like any Redis failure
            }
            if (infoRefusedLogged.compareAndSet(false, true)) {
                log.warn(
                        "Redis at {} refused INFO ({}); the server's version is not checked: Relax needs Redis {} or newer",
                        config.redis(),
                        dev.relax.core.internal.Redaction.redact(e.getMessage()),
                        dev.relax.core.internal.RedisRequirement.MINIMUM);
            }
            return "";
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean infoRefusedLogged =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** What is wrong with the Redis whose {@code INFO server} is {@code info}, if anything. */
    private java.util.Optional<String> unsupportedRedis(String info) {
        return dev.relax.core.internal.RedisRequirement.problem(
                info,
                "the Relax broker",
                "XAUTOCLAIM for the calls stream; consumers use BLMOVE",
                config.redis().toString());
    }

    /** Stops the broker for good: logs why, keeps it for {@link #failure()}, and closes on another thread. */
    private void refuse(RelaxException why) {
        failure = why;
        log.error("{}; the broker stops", why.getMessage());
        // Not on this thread: close() joins the startup and command threads, one of which this is.
        Thread.ofVirtual().name("relax-refuse").start(this::close);
    }

    /** Redis cannot serve this broker; retrying does not help. */
    private static final class UnsupportedRedis extends RelaxException {
        private static final long serialVersionUID = 1L;

        UnsupportedRedis(String message) {
            super(message);
        }
    }

    /** Runs a Redis read until it succeeds (commands must not vanish because Redis blinked) or the broker closes. */
    private <T> T withRedisRetry(String what, java.util.function.Supplier<T> call) {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        for (int attempt = 0; !closing; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                metrics.redisErrors.increment();
                Duration delay = backoff.delay(attempt);
                log.warn("cannot {} ({}); retrying in {} ms", what, e.toString(), delay.toMillis());
                if (!sleep(delay)) {
                    break;
                }
            }
        }
        return null;
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return !closing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
            interruptAndJoin(startup);
            // Joined before the bots stop, so that a command under way cannot start a bot afterwards.
            interruptAndJoin(commandThread);
            closeQuietly(calls);
            Fleet f = fleet;
            if (f != null) {
                f.stopAll("broker shutting down");
            }
            AppFleet af = appFleet;
            if (af != null) {
                af.stopAll("broker shutting down");
            }
            EventWriter w = events;
            if (w != null) {
                boolean flushed = w.flush(options.shutdownTimeout());
                if (!flushed) {
                    log.error(
                            "{} events could not be written to Redis within {}", w.depth(), options.shutdownTimeout());
                }
                w.close();
            }
        } finally {
            closeQuietly(pubsubConnection);
            closeQuietly(commandConnection);
            closeQuietly(eventConnection);
            try {
                // Bounded: Lettuce's shutdown(...) waits without a limit for every connection's close, and a
                // connection closed while it reconnects can leave that wait unanswered (seen in a test), which
                // would keep a SIGTERMed broker from ever exiting.
                redisClient.shutdownAsync(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
                resources.shutdown(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("interrupted while the Redis client shut down");
            } catch (Exception e) {
                log.warn("Redis client did not shut down cleanly within 10 s: {}", e.toString());
            }
            timers.shutdownNow();
            workers.shutdownNow();
            http.close();
            rtmTransport.close();
            if (appTransport != rtmTransport) {
                appTransport.close();
            }
            if (managementServer != null) {
                managementServer.close();
            }
            if (httpServer != null) {
                httpServer.close();
            }
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

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing {}: {}", c, e.toString());
            }
        }
    }

    /** The Lettuce URI for the configured Redis ({@code redis://} or {@code rediss://}, password, database). */
    private static RedisURI redisUri(RelaxConfig config) {
        RedisURI uri = RedisURI.create(config.redis().toUrlWithPassword());
        uri.setTimeout(Duration.ofSeconds(10));
        return uri;
    }

    /** Builds a {@link RelaxBroker}. */
    public static final class Builder {
        private final RelaxConfig config;
        private BrokerOptions options = BrokerOptions.defaults();

        private Builder(RelaxConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder options(BrokerOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public RelaxBroker build() {
            return new RelaxBroker(config, options);
        }
    }
}
