/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker;

import dev.relax.broker.internal.JarTelemetry;
import dev.relax.broker.internal.JvmTuning;
import dev.relax.broker.internal.manifest.ManifestCommand;
import dev.relax.broker.internal.redis.RedisConnection;
import dev.relax.broker.internal.redis.RedisConnections;
import dev.relax.broker.internal.redis.Reencryption;
import dev.relax.core.RelaxConfig;
import dev.relax.core.RelaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar relax-broker.jar}: the broker with the Go broker's environment. Refuses to start, with
 * exit code 1 and a message on stderr naming what is wrong, when a required variable is missing or
 * malformed, or when Redis is older than 6.2 ({@link RelaxBroker#failure()}).
 * Stops gracefully on SIGTERM (see {@link RelaxBroker#close()}).
 *
 * <p>{@code java -jar relax-broker.jar manifest [options]} prints a Slack app manifest for the features
 * chosen instead (docs/slack-apps.md, "Create the app from a manifest"); bad options exit 2 with what is
 * wrong and the command's usage on stderr. {@code java -jar relax-broker.jar reencrypt} writes every stored
 * secret again under the first key of {@code RELAX_ENCRYPTION_KEYS}.
 */
public final class Main {
    static final String USAGE = "usage: RELAX_BOTS_KEY=... RELAX_BOTS_PUBSUB=... RELAX_EVENTS_QUEUE=... "
            + "RELAX_MUTEX_KEY=... REDIS_URL=redis://host:6379 java -jar relax-broker.jar "
            + "(see docs/operations.md for every variable)";

    private Main() {}

    /**
     * {@code java -jar relax-broker.jar reencrypt}: every stored secret written again under the first key
     * of {@code RELAX_ENCRYPTION_KEYS} (docs/operations.md, "Secrets at rest"). Exit 0 when every entry is
     * as wanted, 1 when one could not be read (logged) or the configuration is wrong.
     */
    private static int reencrypt(Map<String, String> env) {
        RelaxConfig config;
        try {
            config = RelaxConfig.fromEnv(env);
        } catch (RelaxException e) {
            System.err.println("relax: " + e.getMessage());
            return 1;
        }
        System.setProperty("relax.log.level", config.logLevel().name());
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "relax-logback-command.xml");
        }
        try (RedisConnections redis = new RedisConnections(config.redis());
                RedisConnection connection = redis.openConnection()) {
            Map<String, Reencryption.Counts> counts = new Reencryption(config, connection.sync()).run();
            int unreadable = 0;
            for (String hash : List.of("apps", "installations", "bots")) {
                Reencryption.Counts c = counts.get(hash);
                System.out.println(hash + ": " + c.rewritten() + " rewritten, " + c.current() + " already current, "
                        + c.unreadable() + " unreadable (left as they are), " + c.raced()
                        + " changed meanwhile (left as written)");
                unreadable += c.unreadable();
            }
            System.out.println(
                    "encrypted under key " + config.encryptionKeys().ids().getFirst()
                            + (config.encryptBotTokens() ? ", bot tokens too" : "; bot tokens in plain text"));
            return unreadable == 0 ? 0 : 1;
        } catch (RuntimeException e) {
            System.err.println("relax: reencrypt: " + e.getMessage());
            return 1;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("manifest")) {
            List<String> options = Arrays.asList(args).subList(1, args.length);
            int code = ManifestCommand.run(options, System.out, System.err);
            if (code != 0) {
                System.exit(code);
            }
            return;
        }
        Map<String, String> env = System.getenv();
        if (args.length > 0 && args[0].equals("reencrypt")) {
            System.exit(reencrypt(env));
            return;
        }
        // First of all: this may replace the process with a tuned JVM (and then never returns).
        JvmTuning.Plan jvm = JvmTuning.relaunchIfWanted(env);
        RelaxConfig config;
        BrokerOptions options;
        String logConfiguration;
        try {
            config = RelaxConfig.fromEnv(env);
            options = BrokerOptions.fromEnv(env);
            logConfiguration = logConfiguration(env);
        } catch (RelaxException e) {
            System.err.println("relax: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(1);
            return;
        }
        // Before the first logger exists: the jar's logback configuration reads these.
        System.setProperty("relax.log.level", config.logLevel().name());
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", logConfiguration);
        }
        limitHttpServer();
        if (options.websocket() == BrokerOptions.WebSocketLibrary.JDK) {
            // Before any HttpClient exists in this JVM: the JDK reads its buffer sizes once, JVM-wide, so
            // only the jar sets them, never the broker an application embeds.
            dev.relax.broker.internal.slack.JdkWebSocketTransport.BUFFER_SIZES.forEach(Main::setIfAbsent);
        }
        // java.util.logging into logback: the OpenTelemetry SDK's warnings and the console exporter's spans
        // then come out in the jar's log format (JSON too), not as JUL's two-line text on stderr.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        org.slf4j.LoggerFactory.getLogger(Main.class).info("{}", jvm.summary());
        JarTelemetry telemetry;
        try {
            telemetry = JarTelemetry.start(env);
        } catch (RuntimeException e) { // the SDK's ConfigurationException, or a sender it lacks (gRPC)
            Throwable cause = e.getCause();
            System.err.println(
                    "relax: OpenTelemetry: " + e.getMessage() + (cause == null ? "" : ": " + cause.getMessage()));
            System.exit(1);
            return;
        }
        RelaxBroker broker = RelaxBroker.builder(config)
                .options(options)
                .openTelemetry(telemetry.openTelemetry())
                .build();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            broker.close();
                            telemetry.close(); // after the broker: its last spans are ended
                        },
                        "relax-shutdown"));
        try {
            broker.start();
        } catch (RelaxException e) {
            System.err.println("relax: " + e.getMessage());
            System.exit(1);
        }
        broker.awaitClose();
        if (broker.failure().isPresent()) {
            // Already logged; said again on stderr, where an operator looks when a process exits at start.
            System.err.println("relax: " + broker.failure().get().getMessage());
            System.exit(1);
        }
    }

    /**
     * The logback configuration {@code RELAX_LOG_FORMAT} asks for: {@code text} (default, one line per
     * event) or {@code json} (one JSON object per line, for log shippers).
     */
    static String logConfiguration(Map<String, String> env) {
        return new EnvReader(env)
                .choice(
                        "RELAX_LOG_FORMAT",
                        "text or json",
                        Map.of("text", "relax-logback.xml", "json", "relax-logback-json.xml"))
                .orElse("relax-logback.xml");
    }

    /** Seconds a request may take to arrive whole (headers and body) on the JDK HTTP server. */
    static final String MAX_REQUEST_SECONDS = "8";
    /** Connections the JDK HTTP server keeps open at most; it closes further ones as it accepts them. */
    static final String MAX_CONNECTIONS = "1024";

    /**
     * The JDK's HTTP server reads each connection's request line and headers before any handler runs, with
     * no deadline and no connection limit by default: a client that sends a header a minute (slowloris)
     * holds a connection for ever. These are JVM-wide settings, read once when the server class loads, so
     * only the runnable jar sets them (an application that embeds the broker decides for its own JVM;
     * docs/operations.md says how), and a value given with {@code -D} wins. Eight seconds leaves room for
     * what a real request needs: the broker's 3 s body deadline and its 2.5 s wait for Redis.
     */
    private static void limitHttpServer() {
        setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        setIfAbsent("jdk.httpserver.maxConnections", MAX_CONNECTIONS);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
