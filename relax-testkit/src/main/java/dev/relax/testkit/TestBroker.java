/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.broker.BrokerOptions;
import dev.relax.broker.RelaxBroker;
import dev.relax.client.RelaxClient;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Command;
import dev.relax.core.protocol.Installation;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A Relax broker in this JVM, wired to a {@link SlackSimulator} and an {@link EmbeddedRedis} with timings
 * short enough for tests (pings every 200 ms, a socket silent for 2 s replaced, retries within half a second), a {@link RelaxClient} for the
 * same deployment ({@link #client()}), and the few raw Redis calls a test needs to play the app:
 *
 * <pre>{@code
 * try (TestBroker broker = TestBroker.start(slack, redis)) {
 *     broker.register(bot);                                   // HSET + PUBLISH team_added
 *     ws.as(alice).post(general, "hi");
 *     await().until(() -> broker.events(), hasSize(1));       // what BLPOP would return
 * }
 * }</pre>
 *
 * Each fixture uses its own Redis key names unless {@link Builder#config} says otherwise, so that several
 * brokers of one test share keys only when asked to: {@code relax<n>_bots}, {@code relax<n>_events}, ...;
 * against a cluster ({@link EmbeddedRedis#isCluster()}) with a hash tag, {@code {relax<n>}_bots}, ..., so
 * that every key of the deployment is in one slot.
 */
public final class TestBroker implements AutoCloseable {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    private final RelaxBroker broker;
    private final RelaxConfig config;
    /** KEYS[1] hash; ARGV[1] field, ARGV[2] value, ARGV[3] channel, ARGV[4] command: HSET then PUBLISH. */
    private static final String REGISTER =
            """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            return redis.call('PUBLISH', ARGV[3], ARGV[4])
            """;

    /** A {@link RedisClient} or, against a cluster, a {@link RedisClusterClient}. */
    private final AbstractRedisClient redisClient;

    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> commands;
    /** Created on first use; guarded by this. */
    private RelaxClient relaxClient;
    /** Where the broker's and {@link #client()}'s spans go. */
    private final OpenTelemetry openTelemetry;

    private TestBroker(RelaxConfig config, BrokerOptions options, OpenTelemetry openTelemetry) {
        this.config = config;
        this.openTelemetry = openTelemetry;
        this.broker = RelaxBroker.builder(config)
                .options(options)
                .openTelemetry(openTelemetry)
                .build();
        RedisAddress a = config.redis();
        if (a.mode() == RedisAddress.Mode.CLUSTER) {
            RedisClusterClient cluster = RedisClusterClient.create(a.nodes().stream()
                    .map(n -> RedisURI.create(n.host(), n.port()))
                    .toList());
            StatefulRedisClusterConnection<String, String> c = cluster.connect();
            this.redisClient = cluster;
            this.connection = c;
            this.commands = c.sync();
        } else {
            RedisClient single = RedisClient.create(
                    a.mode() == RedisAddress.Mode.SENTINEL
                            ? RedisURI.create(a.toClientUrl()) // the primary the Sentinels name, after a failover too
                            : RedisURI.create(a.host(), a.port()));
            StatefulRedisConnection<String, String> c = single.connect();
            this.redisClient = single;
            this.connection = c;
            this.commands = c.sync();
        }
    }

    /** A broker with its own keys against {@code slack} and {@code redis}, started. */
    public static TestBroker start(SlackSimulator slack, EmbeddedRedis redis) {
        return builder(slack, redis).start();
    }

    public static Builder builder(SlackSimulator slack, EmbeddedRedis redis) {
        Objects.requireNonNull(redis, "redis");
        return new Builder(slack, redis.address());
    }

    /**
     * A broker that finds its Redis through {@code sentinel}'s Sentinels, as a deployment with {@code
     * REDIS_URL=redis-sentinel://...} does; {@link #redis()} and {@link #client()} follow the primary too.
     */
    public static Builder builder(SlackSimulator slack, EmbeddedSentinel sentinel) {
        Objects.requireNonNull(sentinel, "sentinel");
        return new Builder(slack, sentinel.address());
    }

    /**
     * Test timings: fast pings and retries, no start-up jitter, loopback HTTP on a free port, and calls of
     * a silent broker taken over after 2 s, and no warm-up at start (the suite starts hundreds of brokers
     * on a shared machine; {@code HotPathWarmupTest} covers it).
     */
    public static BrokerOptions testOptions() {
        return BrokerOptions.builder()
                .callClaimIdle(Duration.ofSeconds(2))
                .pingInterval(Duration.ofMillis(200))
                // Ten missed pongs (2 s), not three: a loaded CI machine can stall a JVM for over 600 ms, which
                // would make the broker replace healthy sockets and add reconnects a test does not expect.
                .maxMissedPongs(10)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .startJitter(Duration.ZERO)
                .httpHost("127.0.0.1")
                .warmup(false)
                .build();
    }

    public RelaxBroker broker() {
        return broker;
    }

    public RelaxConfig config() {
        return config;
    }

    /** A {@link RelaxClient} for this broker's Redis and keys, created on first use and closed with the fixture. */
    public synchronized RelaxClient client() {
        if (relaxClient == null) {
            relaxClient =
                    RelaxClient.builder(config).openTelemetry(openTelemetry).build();
        }
        return relaxClient;
    }

    /**
     * Redis commands on the fixture's own connection, for assertions and for playing the app (a cluster
     * connection against a cluster, which routes each command by its key).
     */
    public RedisClusterCommands<String, String> redis() {
        return commands;
    }

    /** Registers {@code bot} as the protocol says: HSET and PUBLISH {@code team_added}, atomically. */
    public void register(Bot bot) {
        register(BotRegistration.of(bot.teamId(), bot.token().reveal()));
    }

    /** Registers {@code bot} under {@code namespace}. */
    public void register(Bot bot, String namespace) {
        register(BotRegistration.of(bot.teamId(), bot.token().reveal()).withNamespace(namespace));
    }

    /**
     * Installs the app {@code appId} in {@code bot}'s workspace as an app's OAuth flow would, with {@link
     * RelaxClient#addInstallation}: HSET and PUBLISH {@code installation_added}, atomically. Pass the
     * bot {@link App#install} returned, so that the broker calls Slack with its token:
     *
     * <pre>{@code
     * Bot bot = slack.app("A1").install(ws, "xoxb-app", "UAPP");
     * relax.addInstallation("A1", bot);
     * relax.client().postMessage("A1", ws.id(), general.id(), "hello");
     * }</pre>
     */
    public void addInstallation(String appId, Bot bot) {
        client().addInstallation(Installation.of(
                appId, bot.teamId(), bot.userId(), bot.token().reveal()));
    }

    /**
     * Registers the simulated {@code app} with this broker in one call, as {@link #register(Bot)} does for
     * an RTM bot: {@link RelaxClient#registerApp} with its app-level token (when {@link App#appToken} set
     * one) and signing secret, then {@link RelaxClient#addInstallation} for each workspace it is installed
     * in now. Install it first:
     *
     * <pre>{@code
     * App app = slack.app("A1").appToken("xapp-1");
     * Bot bot = app.install(ws, "xoxb-app", "UAPP");
     * broker.register(app);
     * }</pre>
     */
    public void register(App app) {
        dev.relax.testkit.internal.AppState state = app.state();
        client().registerApp(new AppRegistration(app.id(), state.appToken(), state.signingSecret(), "", 0));
        state.installations().stream()
                .sorted(java.util.Comparator.comparing(dev.relax.testkit.internal.Installation::teamId))
                .forEach(installation -> client().addInstallation(Installation.of(
                        app.id(),
                        installation.teamId(),
                        installation.botUserId(),
                        installation.botToken().reveal())));
    }

    /**
     * Stores {@code registration} and publishes {@code team_added} for it, atomically: in one script, as
     * {@link RelaxClient#startBot} does (a cluster connection has no MULTI/EXEC).
     */
    public void register(BotRegistration registration) {
        redis().eval(
                        REGISTER,
                        ScriptOutputType.INTEGER,
                        new String[] {config.botsKey()},
                        registration.hashField(),
                        RelaxJson.encodeRegistration(registration, config.botTokenKeys()),
                        config.botsPubsub(),
                        RelaxJson.encodeCommand(new Command.TeamAdded(registration.id())));
    }

    /** Publishes a command, as an app would. */
    public void publish(Command command) {
        redis().publish(config.botsPubsub(), RelaxJson.encodeCommand(command));
    }

    /** Publishes raw text on the commands channel (for malformed-input tests). */
    public void publishRaw(String text) {
        redis().publish(config.botsPubsub(), text);
    }

    /** Every event on the queue now, oldest first, without removing them. */
    public List<WireEvent> events() {
        return redis().lrange(config.eventsQueue(), 0, -1).stream()
                .map(RelaxJson::decodeEvent)
                .toList();
    }

    /** The broker's {@code /metrics} page now, for exact assertions on named series. */
    public MetricsPage metrics() {
        return MetricsPage.fetch(broker.httpPort());
    }

    /** The raw JSON of every event on the queue now. */
    public List<String> rawEvents() {
        return redis().lrange(config.eventsQueue(), 0, -1);
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                if (relaxClient != null) {
                    relaxClient.close();
                }
            }
            broker.close();
        } finally {
            connection.close();
            dev.relax.testkit.internal.RedisClients.shutdown(redisClient);
        }
    }

    /** Builds a {@link TestBroker}. */
    public static final class Builder {
        private final SlackSimulator slack;
        private final RedisAddress redis;
        private UnaryOperator<RelaxConfig.Builder> config = UnaryOperator.identity();
        private BrokerOptions options = testOptions();
        private OpenTelemetry openTelemetry = OpenTelemetry.noop();

        private Builder(SlackSimulator slack, RedisAddress redis) {
            this.slack = Objects.requireNonNull(slack, "slack");
            this.redis = redis;
        }

        /** Adjusts the configuration, e.g. {@code c -> c.sendBotReplies(true)} or shared key names. */
        public Builder config(UnaryOperator<RelaxConfig.Builder> change) {
            this.config = change;
            return this;
        }

        /** Replaces the options (start from {@link TestBroker#testOptions()}). */
        public Builder options(BrokerOptions options) {
            this.options = options;
            return this;
        }

        /**
         * Adjusts the options, the test timings unless {@link #options(BrokerOptions)} replaced them, e.g.
         * {@code o -> o.shutdownTimeout(Duration.ofSeconds(1))}.
         */
        public Builder options(UnaryOperator<BrokerOptions.Builder> change) {
            this.options = change.apply(options.mutate()).build();
            return this;
        }

        /**
         * Where the spans of the broker and of {@link TestBroker#client()} (and its consumers) go, e.g. an
         * SDK with an in-memory exporter; none by default, and then events carry no {@code traceparent}.
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /** Starts the broker and returns once it is ready: connected to Redis and subscribed to commands. */
        public TestBroker start() {
            int n = PREFIXES.incrementAndGet();
            RelaxConfig base = RelaxConfig.builder()
                    .keysWithPrefix(redis.mode() == RedisAddress.Mode.CLUSTER ? "{relax" + n + "}" : "relax" + n)
                    .redis(redis)
                    .slackHost(slack.baseUrl())
                    .port(0)
                    .build();
            TestBroker fixture = new TestBroker(config.apply(base.mutate()).build(), options, openTelemetry);
            fixture.broker.start();
            // Commands published before the broker subscribed would be lost (pub/sub keeps nothing).
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (!fixture.broker.isReady()) {
                if (System.nanoTime() > deadline) {
                    fixture.close();
                    throw new IllegalStateException(
                            "the broker was not ready within " + READY_TIMEOUT + " (is Redis up?)");
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fixture.close();
                    throw new IllegalStateException("interrupted while the broker started", e);
                }
            }
            return fixture;
        }
    }
}
