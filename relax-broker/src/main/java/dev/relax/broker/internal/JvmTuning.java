/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The runnable jar's JVM settings. {@code java -jar relax-broker.jar} is how operators start the broker,
 * and a jar cannot carry JVM options; the JVM's defaults (G1 sized for the whole machine) cost a broker
 * 4-5 times the memory it needs and a longer latency tail (docs/performance.md, "Broker JVM settings").
 * So the jar, on its first start, replaces its own process ({@code execv}: same pid, same environment,
 * same standard streams, so a service manager or a container sees nothing) with the same command plus
 * {@link #FLAGS}.
 *
 * <p>Never when the operator chose: a heap or collector flag on the command line, in {@code
 * JDK_JAVA_OPTIONS} or in {@code JAVA_TOOL_OPTIONS} keeps the JVM exactly as started, and {@code
 * RELAX_JVM_TUNING=off} keeps the JVM's defaults. Only for the jar's own main class: an application that
 * calls {@code Main.main} from its own JVM is never replaced.
 */
public final class JvmTuning {
    /** {@code auto} (the default), {@code throughput} (C2 too) or {@code off}. */
    public static final String SWITCH = "RELAX_JVM_TUNING";
    /** Set on the relaunched JVM, so that it does not relaunch again. */
    static final String MARKER = "relax.jvm.tuned";
    /**
     * Chosen by measurement (docs/performance.md, "Broker JVM settings"): the serial collector (a 2-core
     * service with a small live heap: short young pauses, no concurrent GC threads) with a small young
     * generation, so that memory follows the live data instead of the machine's size.
     */
    public static final List<String> FLAGS =
            List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmn24m", "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40");
    /**
     * {@code auto} adds this: compiled code from C1 only. C2's compilations of the connect, ping and event
     * paths took up to 60% of a core in a broker's first seconds (the latency tail from the first event, the
     * connect storm) and most of its idle CPU; without them a broker at 1,000 teams connected in 3.4 s
     * instead of 6.2, idled at 2.6% of a core instead of 8.0 and used 182 MB instead of 219, for 22% less
     * peak throughput (still 3x the Go broker's). {@code throughput} leaves C2 on.
     */
    public static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    private static final List<String> OPERATOR_CHOICES = List.of(
            "-Xmx",
            "-Xms",
            "-Xmn",
            "-XX:MaxHeapSize",
            "-XX:InitialHeapSize",
            "-XX:MinHeapSize",
            "-XX:NewSize",
            "-XX:MaxNewSize",
            "-XX:MaxRAM",
            "-XX:InitialRAMPercentage",
            "-XX:MinRAMPercentage",
            "-XX:Flags=",
            "-XX:VMOptionsFile=");

    private JvmTuning() {}

    /**
     * What to do with this JVM.
     *
     * @param command the command to replace the process with; empty to keep this JVM
     * @param summary one line for the log: what the JVM runs with, and why
     */
    public record Plan(List<String> command, String summary) {
        public boolean relaunch() {
            return !command.isEmpty();
        }
    }

    /**
     * The plan for a JVM started with {@code jvmArguments} (its input arguments: the command line's and
     * the environment's options), as {@code executable} with {@code arguments} (the command line after
     * the executable), whose main class or jar is {@code mainCommand} ({@code sun.java.command}).
     */
    static Plan plan(
            Map<String, String> env,
            List<String> jvmArguments,
            String mainCommand,
            Optional<String> executable,
            Optional<List<String>> arguments,
            boolean canExec) {
        String mode = env.getOrDefault(SWITCH, "auto").trim().toLowerCase(Locale.ROOT);
        List<String> flags = new ArrayList<>(FLAGS);
        if (mode.equals("auto")) {
            flags.add(C1_ONLY);
        }
        if (jvmArguments.stream().anyMatch(a -> a.startsWith("-D" + MARKER + "="))) {
            List<String> applied = jvmArguments.stream()
                    .filter(a -> FLAGS.contains(a) || a.equals(C1_ONLY))
                    .toList();
            return new Plan(
                    List.of(),
                    "JVM settings: " + String.join(" ", applied) + " (" + SWITCH + "=off to keep the JVM's"
                            + " defaults, =throughput for C2 too; any heap or collector option of your own"
                            + " replaces them)");
        }
        if (mode.equals("off")) {
            return keep("the JVM's defaults (" + SWITCH + "=off)");
        }
        if (!mode.equals("auto") && !mode.equals("throughput")) {
            return keep("the JVM's defaults (" + SWITCH + "=" + mode + " is not auto, throughput or off)");
        }
        Optional<String> chosen =
                jvmArguments.stream().filter(JvmTuning::isOperatorChoice).findFirst();
        if (chosen.isPresent()) {
            return keep("as given (" + chosen.get() + ")");
        }
        String main = mainCommand == null ? "" : mainCommand.split(" ", 2)[0];
        if (!main.endsWith(".jar") && !main.equals("dev.relax.broker.Main")) {
            return keep("the embedding application's (main " + main + ")");
        }
        if (!canExec) {
            return keep("the JVM's defaults (replacing the process needs JDK 22 or newer, this is "
                    + Runtime.version().feature() + ")");
        }
        if (executable.isEmpty() || arguments.isEmpty()) {
            return keep("the JVM's defaults (this platform does not tell the JVM's command line)");
        }
        List<String> command = new ArrayList<>();
        command.add(executable.get());
        command.addAll(flags);
        command.add("-D" + MARKER + "=true");
        command.addAll(arguments.get());
        return new Plan(List.copyOf(command), "relaunching with " + String.join(" ", flags));
    }

    private static Plan keep(String why) {
        return new Plan(List.of(), "JVM settings: " + why);
    }

    static boolean isOperatorChoice(String jvmArgument) {
        if (jvmArgument.startsWith("-XX:+Use") && jvmArgument.endsWith("GC")) {
            return true;
        }
        return OPERATOR_CHOICES.stream().anyMatch(jvmArgument::startsWith);
    }

    /**
     * Replaces this process with a tuned JVM when {@link #plan} says so, and returns only when it does not
     * (or when the replacement failed, said on stderr): the caller goes on starting the broker in this JVM.
     */
    public static Plan relaunchIfWanted(Map<String, String> env) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Plan plan = plan(
                env,
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("sun.java.command"),
                info.command(),
                info.arguments().map(List::of),
                NativeExec.available());
        if (!plan.relaunch()) {
            return plan;
        }
        System.out.flush();
        System.err.flush();
        try {
            NativeExec.execv(plan.command().getFirst(), plan.command());
            throw new IllegalStateException("execv returned"); // it never does when it worked
        } catch (Exception e) {
            String why = "the JVM's defaults (replacing the process failed: " + e.getMessage() + ")";
            System.err.println("relax: " + why);
            return keep(why);
        }
    }
}
