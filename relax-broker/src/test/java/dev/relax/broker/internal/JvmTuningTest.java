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
    private static final Optional<List<String>> ARGS = Optional.of(List.of("-Dx=1", "-jar", "relax-broker.jar"));

    private static JvmTuning.Plan plan(Map<String, String> env, List<String> jvmArgs, String main, boolean canExec) {
        return JvmTuning.plan(env, jvmArgs, main, JAVA, ARGS, canExec);
    }

    @Test
    void aPlainJarStartIsRelaunchedWithTheFlagsBeforeTheOperatorsArguments() {
        JvmTuning.Plan plan = plan(Map.of(), List.of("-Dx=1"), "relax-broker.jar", true);

        assertThat(plan.relaunch()).isTrue();
        assertThat(plan.command())
                .containsExactly(
                        "/usr/lib/jvm/jdk/bin/java",
                        "-XX:+UseSerialGC",
                        "-Xms64m",
                        "-Xmn24m",
                        "-XX:MinHeapFreeRatio=20",
                        "-XX:MaxHeapFreeRatio=40",
                        "-XX:TieredStopAtLevel=1",
                        "-Drelax.jvm.tuned=true",
                        "-Dx=1",
                        "-jar",
                        "relax-broker.jar");
    }

    @Test
    void theRelaunchedJvmStaysAndSaysWhatItRunsWith() {
        JvmTuning.Plan plan = plan(
                Map.of(),
                List.of("-XX:+UseSerialGC", "-Xms64m", "-XX:TieredStopAtLevel=1", "-Drelax.jvm.tuned=true", "-Dx=1"),
                "relax-broker.jar",
                true);

        assertThat(plan.relaunch()).isFalse();
        assertThat(plan.summary())
                .isEqualTo("JVM settings: -XX:+UseSerialGC -Xms64m -XX:TieredStopAtLevel=1 (RELAX_JVM_TUNING=off to"
                        + " keep the JVM's defaults, =throughput for C2 too; any heap or collector option of your"
                        + " own replaces them)");
    }

    @Test
    void throughputKeepsC2() {
        JvmTuning.Plan plan = plan(Map.of("RELAX_JVM_TUNING", "throughput"), List.of(), "relax-broker.jar", true);

        assertThat(plan.command())
                .containsExactly(
                        "/usr/lib/jvm/jdk/bin/java",
                        "-XX:+UseSerialGC",
                        "-Xms64m",
                        "-Xmn24m",
                        "-XX:MinHeapFreeRatio=20",
                        "-XX:MaxHeapFreeRatio=40",
                        "-Drelax.jvm.tuned=true",
                        "-Dx=1",
                        "-jar",
                        "relax-broker.jar");
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
            JvmTuning.Plan plan = plan(Map.of(), List.of("-Dx=1", choice), "relax-broker.jar", true);
            assertThat(plan.relaunch()).as(choice).isFalse();
            assertThat(plan.summary()).isEqualTo("JVM settings: as given (" + choice + ")");
        }
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
        assertThat(plan(Map.of("RELAX_JVM_TUNING", "off"), List.of(), "relax-broker.jar", true)
                        .summary())
                .isEqualTo("JVM settings: the JVM's defaults (RELAX_JVM_TUNING=off)");
        JvmTuning.Plan unknown = plan(Map.of("RELAX_JVM_TUNING", "fast"), List.of(), "relax-broker.jar", true);
        assertThat(unknown.relaunch()).isFalse();
        assertThat(unknown.summary())
                .isEqualTo("JVM settings: the JVM's defaults (RELAX_JVM_TUNING=fast is not auto, throughput or off)");
    }

    @Test
    void anApplicationThatCallsMainFromItsOwnJvmIsNeverReplaced() {
        JvmTuning.Plan plan = plan(Map.of(), List.of(), "com.example.App --port 1", true);

        assertThat(plan.relaunch()).isFalse();
        assertThat(plan.summary()).isEqualTo("JVM settings: the embedding application's (main com.example.App)");
        assertThat(plan(Map.of(), List.of(), "dev.relax.broker.Main", true).relaunch())
                .isTrue();
    }

    @Test
    void withoutExecOrACommandLineTheJvmKeepsItsDefaults() {
        assertThat(plan(Map.of(), List.of(), "relax-broker.jar", false).summary())
                .startsWith("JVM settings: the JVM's defaults (replacing the process needs JDK 22 or newer, this is ");
        JvmTuning.Plan noArgs = JvmTuning.plan(Map.of(), List.of(), "relax-broker.jar", JAVA, Optional.empty(), true);
        assertThat(noArgs.summary())
                .isEqualTo("JVM settings: the JVM's defaults (this platform does not tell the JVM's command line)");
    }
}
