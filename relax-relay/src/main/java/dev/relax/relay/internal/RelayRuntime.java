/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static dev.relax.core.protocol.Protocol.*;

import dev.relax.broker.BrokerOptions;
import dev.relax.broker.RelaxBroker;
import dev.relax.broker.internal.JarTelemetry;
import dev.relax.client.RelaxClient;
import dev.relax.core.RelaxConfig;
import dev.relax.core.RelaxException;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.relay.internal.RelayEnvironment.QuickStart;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay jar's running parts, in one of two modes (docs/relay.md, "Operations"):
 *
 * <ul>
 *   <li><b>quick start</b> ({@code SLACK_APP_TOKEN} and {@code SLACK_BOT_TOKEN}): a broker in this JVM holds
 *       the app's Socket Mode connections; the relay registers the app and its installation itself. Redis is
 *       {@code REDIS_URL} (durable) or, unset, a {@link LocalRedis} that keeps nothing across a restart;
 *   <li><b>fleet</b>: only a {@link RelaxClient} from the Relax variables ({@code REDIS_URL}, {@code
 *       RELAX_*}), consuming the events queue that brokers elsewhere fill, beside any number of relays.
 * </ul>
 *
 * It owns what it starts and {@link #close() closes} it in reverse order: the {@link Relay} first (answers
 * under way finish while the client, the broker and Redis still work), then the client, the broker, Redis.
 */
final class RelayRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayRuntime.class);
    /** The quick start's Relax keys when the {@code RELAX_*} key variables are unset. */
    static final String QUICK_START_KEY_PREFIX = "relay";

    static final String RELAY_METRICS_PORT = "RELAY_METRICS_PORT";
    /** The service name of the relay's spans unless {@code OTEL_SERVICE_NAME} says otherwise. */
    static final String SERVICE_NAME = "relax-relay";

    /** What to close, last started first. Guarded by {@code this}. */
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    private final CountDownLatch closed = new CountDownLatch(1);
    /** Whether {@link #start} finished: only then does closing say the relay stopped. */
    private volatile boolean started;

    /** Where spans go: OTEL_* (none by default); the embedded broker's spans and the relay's join. */
    private OpenTelemetry openTelemetry = OpenTelemetry.noop();
    /** The port of /metrics, when RELAY_METRICS_PORT asked for it. */
    private volatile OptionalInt metricsServerPort = OptionalInt.empty();

    private RelayRuntime() {}

    /**
     * Starts the mode of {@code relay} with the Relax variables of {@code env}; on a failure, stops what it
     * had started and throws.
     *
     * @throws IllegalArgumentException or {@link RelaxException.ConfigException} for a configuration error
     */
    static RelayRuntime start(RelayEnvironment relay, Map<String, String> env) {
        return start(relay, env, runtime -> {});
    }

    /**
     * As above; {@code beforeStart} gets the runtime before anything starts (Main registers its shutdown
     * hook there, so that a SIGTERM during the start closes what was started: an embedded redis-server
     * is a process of its own, which would outlive this JVM).
     */
    static RelayRuntime start(RelayEnvironment relay, Map<String, String> env, Consumer<RelayRuntime> beforeStart) {
        RelayRuntime runtime = new RelayRuntime();
        beforeStart.accept(runtime);
        try {
            OptionalInt metricsPort = metricsPort(env);
            runtime.openTelemetry =
                    runtime.own(JarTelemetry.start(env, SERVICE_NAME)).openTelemetry();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            RelaxClient client =
                    relay.mode() instanceof QuickStart quick ? runtime.startQuick(quick, env) : runtime.startFleet(env);
            runtime.own(Relay.start(client, relay.settings(), Clock.systemUTC(), runtime.openTelemetry, registry));
            if (metricsPort.isPresent()) {
                MetricsServer metrics = runtime.own(MetricsServer.start("0.0.0.0", metricsPort.getAsInt(), registry));
                runtime.metricsServerPort = OptionalInt.of(metrics.port());
                LOG.info("metrics on http://0.0.0.0:{}/metrics", metrics.port());
            }
            LOG.info(
                    "relay started: mode={}, backend={}, concurrency={}",
                    relay.mode() instanceof QuickStart ? "quick start" : "fleet",
                    RelayEnvironment.redactUrl(relay.settings().backend().url().toString()),
                    relay.settings().concurrency());
            runtime.started = true;
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    private RelaxClient startFleet(Map<String, String> env) {
        RelaxConfig config;
        try {
            config = RelaxConfig.fromEnv(env);
        } catch (RelaxException.ConfigException e) {
            throw new RelaxException.ConfigException("fleet mode (" + RelayEnvironment.SLACK_APP_TOKEN + " and "
                    + RelayEnvironment.SLACK_BOT_TOKEN + " unset): " + e.getMessage());
        }
        RelaxClient client =
                own(RelaxClient.builder(config).openTelemetry(openTelemetry).build());
        LOG.info("consuming {} on {}", config.eventsQueue(), config.redis());
        return client;
    }

    private RelaxClient startQuick(QuickStart quick, Map<String, String> given) {
        Map<String, String> env = quickStartEnvironment(given);
        boolean embeddedRedis = !hasRedis(env);
        if (embeddedRedis) {
            // Only so that the rest is checked before anything starts; replaced by LocalRedis's address.
            env.put(ENV_REDIS_URL, "redis://127.0.0.1:6379");
        }
        RelaxConfig config = RelaxConfig.fromEnv(env);
        BrokerOptions options = BrokerOptions.fromEnv(env);
        SlackIdentity identity;
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            identity = SlackIdentity.lookUp(http, config.slackHost(), quick.botToken(), quick.appId());
        } finally {
            http.close();
        }
        if (embeddedRedis) {
            LocalRedis redis = own(LocalRedis.start());
            config = config.mutate().redis(redis.address()).build();
            LOG.warn(
                    "REDIS_URL is unset: using an embedded Redis on {}, which keeps nothing: questions waiting and"
                            + " answers under way do not survive a restart. Set REDIS_URL to make the relay durable.",
                    config.redis());
        }
        own(RelaxBroker.builder(config)
                .options(options)
                .openTelemetry(openTelemetry)
                .build()
                .start());
        RelaxClient client =
                own(RelaxClient.builder(config).openTelemetry(openTelemetry).build());
        client.registerApp(
                AppRegistration.socketMode(identity.appId(), quick.appToken().reveal()));
        client.addInstallation(
                new Installation(identity.appId(), identity.teamId(), identity.botUserId(), quick.botToken()));
        LOG.info(
                "quick start: app {} in workspace {} (bot user {}) over Socket Mode, Redis {}",
                identity.appId(),
                identity.teamId(),
                identity.botUserId(),
                config.redis());
        return client;
    }

    /**
     * {@code env} with the quick start's defaults for what it leaves unset: the four Relax keys
     * ({@code relay_bots}, {@code relay_pubsub}, {@code relay_events}, {@code relay_mutex}) and the broker's
     * HTTP server on loopback only (Socket Mode needs no inbound connection; health and metrics stay local).
     */
    static Map<String, String> quickStartEnvironment(Map<String, String> given) {
        Map<String, String> env = new HashMap<>(given);
        setIfBlank(env, ENV_BOTS_KEY, QUICK_START_KEY_PREFIX + "_bots");
        setIfBlank(env, ENV_BOTS_PUBSUB, QUICK_START_KEY_PREFIX + "_pubsub");
        setIfBlank(env, ENV_EVENTS_QUEUE, QUICK_START_KEY_PREFIX + "_events");
        setIfBlank(env, ENV_MUTEX_KEY, QUICK_START_KEY_PREFIX + "_mutex");
        setIfBlank(env, "RELAX_HTTP_HOST", "127.0.0.1");
        return env;
    }

    /** {@code RELAY_METRICS_PORT}: where /metrics and /health listen ({@code 0}: any free port); unset: nowhere. */
    static OptionalInt metricsPort(Map<String, String> env) {
        String value = env.get(RELAY_METRICS_PORT);
        if (blank(value)) {
            return OptionalInt.empty();
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= 65_535) {
                return OptionalInt.of(port);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(RELAY_METRICS_PORT + " must be a port (0..65535), was '" + value + "'");
    }

    private static boolean hasRedis(Map<String, String> env) {
        return !blank(env.get(ENV_REDIS_URL)) || !blank(env.get(ENV_REDISCLOUD_URL)) || !blank(env.get(ENV_REDIS_HOST));
    }

    private static void setIfBlank(Map<String, String> env, String name, String value) {
        if (blank(env.get(name))) {
            env.put(name, value);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** Closes {@code resource} with the runtime; if the runtime was closed meanwhile, closes it now and throws. */
    private synchronized <T extends AutoCloseable> T own(T resource) {
        if (closed.getCount() == 0) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("cannot close {}: {}", resource.getClass().getSimpleName(), e.toString());
            }
            throw new IllegalStateException("the relay was stopped while it started");
        }
        owned.push(resource);
        return resource;
    }

    /** The port /metrics and /health listen on, when {@code RELAY_METRICS_PORT} is set. */
    OptionalInt metricsPort() {
        return metricsServerPort;
    }

    /** Blocks until {@link #close()} has finished. */
    void awaitClose() throws InterruptedException {
        closed.await();
    }

    /**
     * Stops the relay (it lets answers under way finish), then the client, the broker and Redis, in that
     * order, each even when one before it failed. Idempotent.
     */
    @Override
    public synchronized void close() {
        while (!owned.isEmpty()) {
            AutoCloseable resource = owned.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("cannot close {}: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
        if (started && closed.getCount() > 0) {
            LOG.info("relay stopped");
        }
        closed.countDown();
    }
}
