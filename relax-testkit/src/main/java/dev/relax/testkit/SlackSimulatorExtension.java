/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a {@link SlackSimulator} (and, if asked, an {@link EmbeddedRedis}) for a JUnit 5 test class and
 * injects them into test and lifecycle methods:
 *
 * <pre>{@code
 * class BrokerIT {
 *     @RegisterExtension
 *     static final SlackSimulatorExtension EXTENSION = SlackSimulatorExtension.create().withRedis();
 *
 *     @Test
 *     void relaysMessages(SlackSimulator slack, EmbeddedRedis redis) { ... }
 * }
 * }</pre>
 *
 * <p>Lifecycle, as with Testcontainers: registered on an <b>instance</b> field, every test gets a fresh
 * simulator, Redis and broker, stopped after it. On a <b>static</b> field they are started once before
 * the first test of the class and shared until the last: what one test leaves (workspaces, bots, open
 * connections, recorded calls, queued events) is still there in the next, so give each test its own team
 * ids and call {@link SlackSimulator#reset()} in a {@code @BeforeEach} to clear the recordings.
 */
public final class SlackSimulatorExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private final Consumer<SlackSimulator.Builder> options;
    private final boolean redisWanted;
    private final boolean brokerWanted;

    /** Set while started; written by JUnit's lifecycle thread, read by tests. */
    private volatile SlackSimulator simulator;

    private volatile EmbeddedRedis redis;
    private volatile TestBroker broker;
    /** Whether the resources were started in beforeAll (class scope) rather than beforeEach. */
    private volatile boolean classScoped;

    private SlackSimulatorExtension(
            Consumer<SlackSimulator.Builder> options, boolean redisWanted, boolean brokerWanted) {
        this.options = options;
        this.redisWanted = redisWanted;
        this.brokerWanted = brokerWanted;
    }

    /** A simulator with default settings and no Redis. */
    public static SlackSimulatorExtension create() {
        return new SlackSimulatorExtension(builder -> {}, false, false);
    }

    /** The same extension, also running an {@link EmbeddedRedis}. */
    public SlackSimulatorExtension withRedis() {
        return new SlackSimulatorExtension(options, true, brokerWanted);
    }

    /**
     * The same extension, also running Redis and a Relax broker in this JVM ({@link TestBroker}) wired to
     * both, ready (subscribed to commands) before the test starts. Tests may then take a {@link
     * TestBroker} and a {@link dev.relax.client.RelaxClient} for it as parameters.
     */
    public SlackSimulatorExtension withBroker() {
        return new SlackSimulatorExtension(options, true, true);
    }

    /** The same extension, with simulator options, e.g. {@code b -> b.ackTimeout(Duration.ofMillis(200))}. */
    public SlackSimulatorExtension configure(Consumer<SlackSimulator.Builder> configuration) {
        Objects.requireNonNull(configuration, "configuration");
        return new SlackSimulatorExtension(options.andThen(configuration), redisWanted, brokerWanted);
    }

    /** The running simulator. */
    public SlackSimulator simulator() {
        SlackSimulator running = simulator;
        if (running == null) {
            throw new IllegalStateException("the simulator runs only while a test of the class runs");
        }
        return running;
    }

    /** The running broker; fails unless the extension was built {@link #withBroker()}. */
    public TestBroker broker() {
        TestBroker running = broker;
        if (running == null) {
            throw new IllegalStateException("no broker: build the extension withBroker(), and use it during a test");
        }
        return running;
    }

    /** The running Redis; fails unless the extension was built {@link #withRedis()}. */
    public EmbeddedRedis redis() {
        EmbeddedRedis running = redis;
        if (running == null) {
            throw new IllegalStateException(
                    "no EmbeddedRedis: build the extension withRedis(), and use it during a test");
        }
        return running;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        classScoped = true;
        open();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        shut();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!classScoped) {
            open();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!classScoped) {
            shut();
        }
    }

    private void open() {
        SlackSimulator.Builder builder = SlackSimulator.builder();
        options.accept(builder);
        simulator = builder.start();
        if (redisWanted) {
            redis = EmbeddedRedis.start();
        }
        if (brokerWanted) {
            broker = TestBroker.start(simulator, redis);
        }
    }

    private void shut() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
        try {
            if (simulator != null) {
                simulator.close();
            }
        } finally {
            simulator = null;
            if (redis != null) {
                redis.close();
                redis = null;
            }
        }
    }

    /**
     * The testkit's own types are always supported, so that a {@link TestBroker} or {@link EmbeddedRedis}
     * parameter of an extension built without them fails with a message saying what to add; a {@link
     * dev.relax.client.RelaxClient} only with {@link #withBroker()}, leaving it to other resolvers otherwise.
     */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == SlackSimulator.class
                || type == EmbeddedRedis.class
                || type == TestBroker.class
                || type == dev.relax.client.RelaxClient.class && brokerWanted;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == TestBroker.class && !brokerWanted || type == EmbeddedRedis.class && !redisWanted) {
            String wanted = type == TestBroker.class ? "withBroker()" : "withRedis() (or withBroker())";
            throw new ParameterResolutionException(
                    "parameter " + parameter.getParameter().getName() + " of type "
                            + type.getSimpleName() + " in "
                            + parameter.getDeclaringExecutable().getName()
                            + ": build the extension with " + wanted + ", e.g. SlackSimulatorExtension.create()."
                            + (type == TestBroker.class ? "withBroker()" : "withRedis()"));
        }
        if (type == TestBroker.class) {
            return broker();
        }
        if (type == dev.relax.client.RelaxClient.class) {
            return broker().client();
        }
        return type == SlackSimulator.class ? simulator() : redis();
    }
}
