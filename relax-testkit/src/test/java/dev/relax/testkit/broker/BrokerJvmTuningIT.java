/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulatorExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar relax-broker.jar} with no JVM option runs the broker on the JVM settings chosen for it
 * (docs/performance.md, "Broker JVM settings"), in the process the operator started (same pid), and keeps
 * the JVM as started when the operator chose a heap or a collector, or said {@code RELAX_JVM_TUNING=off}.
 */
class BrokerJvmTuningIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-Xms64m",
            "-Xmn24m",
            "-XX:MinHeapFreeRatio=20",
            "-XX:MaxHeapFreeRatio=40",
            "-XX:TieredStopAtLevel=1");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    @BeforeAll
    static void linuxWithJdk22() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "reads the broker's command line from /proc");
        assumeTrue(Runtime.version().feature() >= 22, "the jar replaces its process on JDK 22 or newer");
    }

    @Test
    void theJarRunsOnItsOwnSettingsInTheProcessTheOperatorStarted(EmbeddedRedis redis) throws Exception {
        int port = BrokerJar.freePort();
        try (BrokerJar jar = BrokerJar.start(env(redis, port, Map.of()), logs)) {
            jar.awaitReady(port);
            assertThat(commandLine(jar.pid())).containsSubsequence(FLAGS).contains("-jar");
            assertThat(jar.stdout())
                    .contains("JVM settings: -XX:+UseSerialGC -Xms64m -Xmn24m -XX:MinHeapFreeRatio=20"
                            + " -XX:MaxHeapFreeRatio=40 -XX:TieredStopAtLevel=1 (RELAX_JVM_TUNING=off to keep"
                            + " the JVM's defaults, =throughput for C2 too; any heap or collector option of"
                            + " your own replaces them)");
            jar.stop();
            assertThat(jar.exitsWithin(WAIT)).isTrue();
            assertThat(jar.output()).contains("relax broker stopped");
        }
    }

    @Test
    void anOperatorsHeapOptionKeepsTheJvmAsStarted(EmbeddedRedis redis) throws Exception {
        int port = BrokerJar.freePort();
        try (BrokerJar jar = BrokerJar.start(env(redis, port, Map.of("JDK_JAVA_OPTIONS", "-Xmx300m")), logs)) {
            jar.awaitReady(port);
            assertThat(commandLine(jar.pid())).doesNotContainAnyElementsOf(FLAGS);
            assertThat(jar.stdout()).contains("JVM settings: as given (-Xmx300m)");
        }
    }

    /** JMX's port opens before main: a relaunch in the same process would find it taken and exit. */
    @Test
    void aJmxPortKeepsTheJvmAsStartedAndTheBrokerServes(EmbeddedRedis redis) throws Exception {
        int port = BrokerJar.freePort();
        int jmx = BrokerJar.freePort();
        String options = "-Dcom.sun.management.jmxremote.port=" + jmx
                + " -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false";
        try (BrokerJar jar = BrokerJar.start(env(redis, port, Map.of("JDK_JAVA_OPTIONS", options)), logs)) {
            jar.awaitReady(port);
            assertThat(commandLine(jar.pid())).doesNotContainAnyElementsOf(FLAGS);
            assertThat(jar.stdout())
                    .contains("JVM settings: the JVM's defaults (-Dcom.sun.management options start before main and"
                            + " would start twice; give heap options yourself)");
        }
    }

    @Test
    void offKeepsTheJvmsDefaults(EmbeddedRedis redis) throws Exception {
        int port = BrokerJar.freePort();
        try (BrokerJar jar = BrokerJar.start(env(redis, port, Map.of("RELAX_JVM_TUNING", "off")), logs)) {
            jar.awaitReady(port);
            assertThat(commandLine(jar.pid())).doesNotContainAnyElementsOf(FLAGS);
            assertThat(jar.stdout()).contains("JVM settings: the JVM's defaults (RELAX_JVM_TUNING=off)");
        }
    }

    private static Map<String, String> env(EmbeddedRedis redis, int port, Map<String, String> extra) {
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("jvm")
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .port(port)
                .build();
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put("RELAX_HTTP_HOST", "127.0.0.1");
        env.putAll(extra);
        return env;
    }

    private static List<String> commandLine(long pid) throws Exception {
        String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
        return Arrays.asList(raw.split("\0"));
    }
}
