/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The runnable jar's JVM settings. {@code java -jar relax-broker.jar} is how operators start the broker,
 * and a jar cannot carry JVM options; the JVM's defaults (G1 sized for the whole machine) cost a broker
 * 4-5 times the memory it needs and a longer latency tail (docs/performance.md, "Broker JVM settings").
 * So the jar, on its first start, replaces its own process ({@code execv}: same pid, same environment,
 * same standard streams, so a service manager or a container sees nothing) with the same command plus
 * {@link #flags}.
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
     * {@code auto} adds this: compiled code from C1 only. C2's compilations of the connect, ping and event
     * paths took up to 60% of a core in a broker's first seconds (the latency tail from the first event, the
     * connect storm) and most of its idle CPU; without them a broker at 1,000 teams connected in 3.4 s
     * instead of 6.2, idled at 2.6% of a core instead of 8.0 and used 182 MB instead of 219, for up to 22%
     * less peak throughput (still 3x the Go broker's). {@code throughput} leaves C2 on.
     */
    public static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    static final String BROKER_MAIN = "dev.relax.broker.Main";
    /** This process's whole command line on Linux ({@link ProcessHandle.Info#arguments()} stops at 4 KB). */
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");
    /** The running executable on Linux: what the process is replaced with. */
    private static final String SELF = "/proc/self/exe";
    /** Options that open ports or start agents before main: a second start in the same process would clash. */
    private static final List<String> AGENTS =
            List.of("-javaagent:", "-agentlib:", "-agentpath:", "-Dcom.sun.management.");

    /**
     * Chosen by measurement (docs/performance.md, "Broker JVM settings"): the serial collector (a 2-core
     * service with a small live heap: short young pauses, no concurrent GC threads) with a small young
     * generation and initial heap, so that memory follows the live data instead of the machine's size; both
     * at most a half and a quarter of the JVM's own maximum heap ({@code defaultMaxHeap}), which stays.
     */
    public static List<String> flags(String mode, long defaultMaxHeap) {
        long mb = Math.max(4, defaultMaxHeap >> 20);
        List<String> flags = new ArrayList<>(List.of(
                "-XX:+UseSerialGC",
                "-Xms" + Math.min(64, mb / 2) + "m",
                "-Xmn" + Math.min(24, mb / 4) + "m",
                "-XX:MinHeapFreeRatio=20",
                "-XX:MaxHeapFreeRatio=40"));
        if (mode.equals("auto")) {
            flags.add(C1_ONLY);
        }
        return List.copyOf(flags);
    }

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
     * the environment's options) by the executable {@code launcher} with {@code commandLine} (argv, the
     * launcher's name first), whose main class or jar is {@code mainCommand} ({@code sun.java.command}), a
     * jar's main class being {@code jarMainClass}'s answer. {@code command} of the plan is the new argv.
     */
    static Plan plan(
            Map<String, String> env,
            List<String> jvmArguments,
            String mainCommand,
            Optional<String> launcher,
            Optional<List<String>> commandLine,
            boolean canExec,
            long defaultMaxHeap,
            Function<String, Optional<String>> jarMainClass) {
        String mode = env.getOrDefault(SWITCH, "auto").trim().toLowerCase(Locale.ROOT);
        if (jvmArguments.stream().anyMatch(a -> a.startsWith("-D" + MARKER + "="))) {
            List<String> applied = jvmArguments.stream()
                    .filter(a -> a.equals("-XX:+UseSerialGC")
                            || a.startsWith("-Xms")
                            || a.startsWith("-Xmn")
                            || a.startsWith("-XX:MinHeapFreeRatio=")
                            || a.startsWith("-XX:MaxHeapFreeRatio=")
                            || a.equals(C1_ONLY))
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
        Optional<String> agent = jvmArguments.stream()
                .flatMap(a -> AGENTS.stream().filter(a::startsWith))
                .findFirst();
        if (agent.isPresent()) {
            return keep("the JVM's defaults (" + agent.get().replaceAll("[:.]$", "")
                    + " options start before main and would start twice; give heap options yourself)");
        }
        if (!canExec) {
            return keep("the JVM's defaults (replacing the process needs JDK 22 or newer on Linux, this is JDK "
                    + Runtime.version().feature() + ")");
        }
        String launcherName =
                launcher.map(l -> Path.of(l).getFileName().toString()).orElse("");
        if (!launcherName.equals("java") || commandLine.isEmpty()) {
            return keep("the JVM's defaults (started by "
                    + (launcherName.isEmpty() ? "an unknown launcher" : launcherName) + ", not the java launcher)");
        }
        List<String> argv = commandLine.get();
        int jar = argv.indexOf("-jar");
        String main = jar > 0 && jar + 1 < argv.size()
                ? jarMainClass.apply(argv.get(jar + 1)).orElse("")
                : mainCommand == null ? "" : mainCommand.split(" ", 2)[0];
        if (!main.equals(BROKER_MAIN)) {
            return keep("the embedding application's (main " + (main.isEmpty() ? "unknown" : main) + ")");
        }
        List<String> flags = flags(mode, defaultMaxHeap);
        List<String> command = new ArrayList<>();
        command.add(argv.getFirst());
        command.addAll(flags);
        command.add("-D" + MARKER + "=true");
        command.addAll(argv.subList(1, argv.size()));
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
        Plan plan = plan(
                env,
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("sun.java.command"),
                ProcessHandle.current().info().command(),
                commandLine(),
                NativeExec.available() && Files.isReadable(CMDLINE),
                Runtime.getRuntime().maxMemory(),
                JvmTuning::mainClassOf);
        if (!plan.relaunch()) {
            return plan;
        }
        System.out.flush();
        System.err.flush();
        try {
            NativeExec.execv(SELF, plan.command());
            throw new IllegalStateException("execv returned"); // it never does when it worked
        } catch (Exception e) {
            String why = "the JVM's defaults (replacing the process failed: " + e.getMessage() + ")";
            System.err.println("relax: " + why);
            return keep(why);
        }
    }

    /**
     * argv from /proc, whole; each byte one char (ISO-8859-1), which {@link NativeExec} writes back as the
     * same bytes, whatever the locale's encoding.
     */
    private static Optional<List<String>> commandLine() {
        try {
            String raw = new String(Files.readAllBytes(CMDLINE), StandardCharsets.ISO_8859_1);
            List<String> argv = List.of(raw.split("\0"));
            return argv.isEmpty() || argv.getFirst().isEmpty() ? Optional.empty() : Optional.of(argv);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** The {@code Main-Class} of the jar at {@code path} (ISO-8859-1 as read from /proc). */
    private static Optional<String> mainClassOf(String path) {
        String decoded = new String(path.getBytes(StandardCharsets.ISO_8859_1), fileNameCharset());
        try (JarFile jar = new JarFile(decoded)) {
            Manifest manifest = jar.getManifest();
            return manifest == null
                    ? Optional.empty()
                    : Optional.ofNullable(manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
