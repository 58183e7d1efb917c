/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import dev.relax.core.LogLevel;
import dev.relax.core.RelaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar relax-relay.jar}: the relay, configured from the environment (docs/relay.md,
 * "Configuration"), until SIGTERM, which lets answers under way finish and exits 0. {@code java -jar
 * relax-relay.jar manifest [--request-url URL]} prints the Slack app manifest instead.
 *
 * <p>A configuration error exits 2 with one line on stderr naming the variable (never a secret's value); any
 * other failure to start exits 1.
 */
public final class Main {
    static final int CONFIGURATION_ERROR = 2;
    static final int START_FAILURE = 1;
    private static final String PREFIX = "relax-relay: ";
    private static final String USAGE = "usage: BACKEND_URL=https://backend.example.com/ask"
            + " SLACK_APP_TOKEN=xapp-... SLACK_BOT_TOKEN=xoxb-... java -jar relax-relay.jar"
            + " (docs/relay.md lists every variable), or: java -jar relax-relay.jar manifest";

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        List<String> arguments = Arrays.asList(args);
        if (!arguments.isEmpty() && arguments.get(0).equals("manifest")) {
            try {
                System.out.print(Manifest.forArguments(arguments.subList(1, arguments.size())));
            } catch (IllegalArgumentException e) {
                exit(CONFIGURATION_ERROR, e.getMessage());
            }
            return;
        }
        if (!arguments.isEmpty()) {
            exit(CONFIGURATION_ERROR, "unexpected arguments " + arguments + "; " + USAGE);
            return;
        }
        Map<String, String> env = System.getenv();
        RelayEnvironment relay;
        try {
            relay = RelayEnvironment.fromEnv(env);
            configureLogging(env);
        } catch (IllegalArgumentException | RelaxException.ConfigException e) {
            exit(CONFIGURATION_ERROR, e.getMessage());
            return;
        }
        RelayRuntime runtime;
        try {
            // The hook first: a SIGTERM while starting stops what was started (an embedded redis-server too).
            runtime = RelayRuntime.start(relay, env, started -> Runtime.getRuntime()
                    .addShutdownHook(new Thread(started::close, "relay-shutdown")));
        } catch (IllegalArgumentException | RelaxException.ConfigException e) {
            exit(CONFIGURATION_ERROR, e.getMessage());
            return;
        } catch (RelaxException e) { // a failure the message explains: Slack or Redis out of reach
            exit(START_FAILURE, e.getMessage());
            return;
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Main.class).error("the relay did not start", e);
            exit(START_FAILURE, e.getMessage());
            return;
        }
        // SIGTERM is how operators and orchestrators stop the relay: a normal stop, so exit 0 once the
        // shutdown hook has closed everything (the JVM's own handler would exit 143).
        try {
            Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        } catch (IllegalArgumentException e) { // the JVM keeps SIGTERM (-Xrs): its exit code stays 143
            LoggerFactory.getLogger(Main.class).debug("SIGTERM keeps the JVM's handler: {}", e.getMessage());
        }
        runtime.awaitClose();
    }

    /**
     * The broker jar's logback configuration, which this jar carries: {@code RELAX_LOG_FORMAT} text (default)
     * or json, {@code RELAX_LOG_LEVEL} for the {@code dev.relax} loggers. Set before the first logger exists.
     */
    private static void configureLogging(Map<String, String> env) {
        String level = env.get("RELAX_LOG_LEVEL");
        if (level != null && !level.isBlank()) {
            System.setProperty(
                    "relax.log.level", LogLevel.parse(level, "RELAX_LOG_LEVEL").name());
        }
        String format = env.getOrDefault("RELAX_LOG_FORMAT", "").strip();
        String file =
                switch (format) {
                    case "", "text" -> "relax-logback.xml";
                    case "json" -> "relax-logback-json.xml";
                    default ->
                        throw new IllegalArgumentException(
                                "RELAX_LOG_FORMAT must be text or json, was '" + env.get("RELAX_LOG_FORMAT") + "'");
                };
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", file);
        }
    }

    private static void exit(int status, String message) {
        System.err.println(PREFIX + message);
        System.exit(status);
    }
}
