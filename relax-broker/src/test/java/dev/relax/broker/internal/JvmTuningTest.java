/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JvmTuningTest {
    private static final Optional<String> JAVA = Optional.of("/usr/lib/jvm/jdk/bin/java");
    private static final List<String> ARGV = List.of("java", "-Dx=1", "-jar", "/opt/relax broker/relax-broker.jar");
    private static final long SIX_GB = 6L << 30;

    private static JvmTuning.Plan plan(Map<String, String> env, List<String> jvmArgs) {
        return JvmTuning.plan(
                env,
                jvmArgs,
                "/opt/relax",
                JAVA,
                Optional.of(ARGV),
                true,
                SIX_GB,
                jar -> Optional.of(
                        jar.equals("/opt/relax broker/relax-broker.jar")
                                ? "dev.relax.broker.Main"
                                : "com.example.App"));
    }

    @Test
    void aPlainJarStartIsRelaunchedWithTheFlagsBeforeTheOperatorsArguments() {
        JvmTuning.Plan plan = plan(Map.of(), List.of("-Dx=1"));

        assertThat(plan.relaunch()).isTrue();
        assertThat(plan.command())
                .containsExactly(
                        "java",
                        "-XX:+UseSerialGC",
                        "-Xms64m",
                        "-Xmn24m",
                        "-XX:MinHeapFreeRatio=20",
                        "-XX:MaxHeapFreeRatio=40",
                        "-XX:TieredStopAtLevel=1",
                        "-Drelax.jvm.tuned=true",
                        "-Dx=1",
                        "-jar",
                        "/opt/relax broker/relax-broker.jar");
        assertThat(plan.summary())
                .isEqualTo("relaunching with -XX:+UseSerialGC -Xms64m -Xmn24m -XX:MinHeapFreeRatio=20"
                        + " -XX:MaxHeapFreeRatio=40 -XX:TieredStopAtLevel=1");
    }

    @Test
    void throughputKeepsC2() {
        assertThat(plan(Map.of("RELAX_JVM_TUNING", "throughput"), List.of()).command())
                .containsExactly(
                        "java",
                        "-XX:+UseSerialGC",
                        "-Xms64m",
                        "-Xmn24m",
                        "-XX:MinHeapFreeRatio=20",
                        "-XX:MaxHeapFreeRatio=40",
                        "-Drelax.jvm.tuned=true",
                        "-Dx=1",
                        "-jar",
                        "/opt/relax broker/relax-broker.jar");
    }

    @Test
    void aSmallMachinesHeapIsNeverGrownPastTheJvmsOwnMaximum() {
        // 128 MB of RAM: the JVM's maximum heap is 32 MB; -Xms64m would have raised it to 64.
        assertThat(JvmTuning.flags("auto", 32L << 20))
                .containsExactly(
                        "-XX:+UseSerialGC",
                        "-Xms16m",
                        "-Xmn8m",
                        "-XX:MinHeapFreeRatio=20",
                        "-XX:MaxHeapFreeRatio=40",
                        "-XX:TieredStopAtLevel=1");
    }

    @Test
    void theRelaunchedJvmStaysAndSaysWhatItRunsWith() {
        JvmTuning.Plan plan = plan(
                Map.of(),
                List.of("-XX:+UseSerialGC", "-Xms64m", "-XX:TieredStopAtLevel=1", "-Drelax.jvm.tuned=true", "-Dx=1"));

        assertThat(plan.relaunch()).isFalse();
        assertThat(plan.summary())
                .isEqualTo("JVM settings: -XX:+UseSerialGC -Xms64m -XX:TieredStopAtLevel=1 (RELAX_JVM_TUNING=off to"
                        + " keep the JVM's defaults, =throughput for C2 too; any heap or collector option of your"
                        + " own replaces them)");
    }

    @Test
    void anOperatorsHeapOrCollectorKeepsTheJvmAsStarted() {
        for (String choice : List.of(
                "-Xmx512m",
                "-Xms64m",
                "-XX:MaxRAMPercentage=50",
                "-XX:+UseZGC",
                "-XX:+UseG1GC",
                "-XX:MaxHeapSize=1g",
                "-XX:Flags=/etc/relax.flags")) {
            JvmTuning.Plan plan = plan(Map.of(), List.of("-Dx=1", choice));
            assertThat(plan.relaunch()).as(choice).isFalse();
            assertThat(plan.summary()).isEqualTo("JVM settings: as given (" + choice + ")");
        }
    }

    @Test
    void agentsAndJmxThatWouldStartTwiceKeepTheJvmAndNoOptionValueIsPrinted() {
        JvmTuning.Plan jmx = plan(Map.of(), List.of("-Dcom.sun.management.jmxremote.port=9010"));
        assertThat(jmx.relaunch()).isFalse();
        assertThat(jmx.summary())
                .isEqualTo("JVM settings: the JVM's defaults (-Dcom.sun.management options start before main and"
                        + " would start twice; give heap options yourself)");
        JvmTuning.Plan agent = plan(Map.of(), List.of("-javaagent:/opt/jmx.jar=9404:/etc/secret-config.yaml"));
        assertThat(agent.relaunch()).isFalse();
        assertThat(agent.summary()).contains("(-javaagent options").doesNotContain("secret", "9404");
        assertThat(plan(Map.of(), List.of("-agentlib:jdwp=transport=dt_socket,server=y"))
                        .relaunch())
                .isFalse();
    }

    @Test
    void otherJvmOptionsDoNotCountAsAChoice() {
        assertThat(JvmTuning.isOperatorChoice("-Xss512k")).isFalse();
        assertThat(JvmTuning.isOperatorChoice("-XX:+UseCompressedOops")).isFalse();
        assertThat(JvmTuning.isOperatorChoice("-Djdk.httpserver.maxConnections=4"))
                .isFalse();
    }

    @Test
    void offKeepsTheDefaultsAndAnUnknownValueIsSaid() {
        assertThat(plan(Map.of("RELAX_JVM_TUNING", "off"), List.of()).summary())
                .isEqualTo("JVM settings: the JVM's defaults (RELAX_JVM_TUNING=off)");
        JvmTuning.Plan unknown = plan(Map.of("RELAX_JVM_TUNING", "fast"), List.of());
        assertThat(unknown.relaunch()).isFalse();
        assertThat(unknown.summary())
                .isEqualTo("JVM settings: the JVM's defaults (RELAX_JVM_TUNING=fast is not auto, throughput or off)");
    }

    @Test
    void anApplicationJarOrMainClassIsNeverReplaced() {
        List<String> appJar = List.of("java", "-jar", "app.jar");
        JvmTuning.Plan jar = JvmTuning.plan(
                Map.of(),
                List.of(),
                "app.jar",
                JAVA,
                Optional.of(appJar),
                true,
                SIX_GB,
                j -> Optional.of("com.example.App"));
        assertThat(jar.relaunch()).isFalse();
        assertThat(jar.summary()).isEqualTo("JVM settings: the embedding application's (main com.example.App)");

        List<String> appClass = List.of("java", "-cp", "app.jar:relax-broker.jar", "com.example.App");
        JvmTuning.Plan cls = JvmTuning.plan(
                Map.of(), List.of(), "com.example.App --port 1", JAVA, Optional.of(appClass), true, SIX_GB, j -> {
                    throw new AssertionError("no jar to read");
                });
        assertThat(cls.summary()).isEqualTo("JVM settings: the embedding application's (main com.example.App)");

        List<String> brokerClass = List.of("java", "-cp", "relax-broker.jar", "dev.relax.broker.Main");
        assertThat(JvmTuning.plan(
                                Map.of(),
                                List.of(),
                                "dev.relax.broker.Main",
                                JAVA,
                                Optional.of(brokerClass),
                                true,
                                SIX_GB,
                                j -> Optional.empty())
                        .relaunch())
                .isTrue();
    }

    @Test
    void aLauncherOtherThanJavaOrNoExecKeepsTheJvm() {
        JvmTuning.Plan jpackage = JvmTuning.plan(
                Map.of(),
                List.of(),
                "/opt/relax",
                Optional.of("/opt/relax/bin/relax"),
                Optional.of(ARGV),
                true,
                SIX_GB,
                j -> Optional.of("dev.relax.broker.Main"));
        assertThat(jpackage.relaunch()).isFalse();
        assertThat(jpackage.summary())
                .isEqualTo("JVM settings: the JVM's defaults (started by relax, not the java launcher)");

        JvmTuning.Plan noExec = JvmTuning.plan(
                Map.of(), List.of(), "x.jar", JAVA, Optional.of(ARGV), false, SIX_GB, j -> Optional.empty());
        assertThat(noExec.summary())
                .startsWith("JVM settings: the JVM's defaults (replacing the process needs JDK 22 or newer on Linux,");
        JvmTuning.Plan noArgs = JvmTuning.plan(
                Map.of(), List.of(), "x.jar", JAVA, Optional.empty(), true, SIX_GB, j -> Optional.empty());
        assertThat(noArgs.relaunch()).isFalse();
    }
}
