/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runnable broker jar in a process of its own, as an operator runs it: the environment given and no
 * other, stdout and stderr in files of a folder the test owns (a JUnit {@code @TempDir}), and the process
 * gone once this is closed, killed if need be, whatever the test did or failed to do:
 *
 * <pre>{@code
 * try (BrokerJar jar = BrokerJar.start(config.toEnv(), logs)) {
 *     jar.awaitReady(port);
 *     ...
 *     jar.stop();                                   // SIGTERM
 *     assertThat(jar.exitsWithin(WAIT)).isTrue();
 *     assertThat(jar.output()).contains("relax broker stopped");
 * }
 * }</pre>
 */
public final class BrokerJar implements AutoCloseable {
    private static final Path JAR = Path.of("..", "relax-broker", "target", "relax-broker.jar");
    /** How long the broker may take to be ready, and a killed process to be gone. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private BrokerJar(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code java -jar relax-broker.jar} with exactly {@code env}, writing its output into {@code logs}. */
    public static BrokerJar start(Map<String, String> env, Path logs) throws IOException {
        assertThat(JAR)
                .as("the broker jar; build it with: ./build.sh mvn -pl relax-broker package")
                .exists();
        Path stdout = Files.createTempFile(logs, "relax-broker", ".out");
        Path stderr = Files.createTempFile(logs, "relax-broker", ".err");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", JAR.toString());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectOutput(stdout.toFile());
        pb.redirectError(stderr.toFile());
        return new BrokerJar(pb.start(), stdout, stderr);
    }

    /** What a command of the jar ({@code java -jar relax-broker.jar <arguments>}) printed, and its exit code. */
    public record Run(int exitCode, String stdout, String stderr) {}

    /** Runs {@code java -jar relax-broker.jar arguments...} with exactly {@code env} to its end. */
    public static Run run(Map<String, String> env, String... arguments) throws IOException, InterruptedException {
        assertThat(JAR)
                .as("the broker jar; build it with: ./build.sh mvn -pl relax-broker package")
                .exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile("relax-broker-run", ".out");
        Path err = Files.createTempFile("relax-broker-run", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process process = pb.start();
        try {
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the jar's command ended")
                    .isTrue();
            return new Run(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A port that is free on this machine now, for {@code PORT} or {@code RELAX_MANAGEMENT_PORT}. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits until GET /ready on {@code port} answers 200; fails at once, with what the broker wrote, if the
     * process ended instead.
     */
    public void awaitReady(int port) {
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() ->
                        !process.isAlive() || BrokerHttp.get(port, "/ready").statusCode() == 200);
        if (!process.isAlive()) {
            throw new AssertionError(
                    "the broker exited (" + process.exitValue() + ") before it was ready:\n" + output());
        }
    }

    /** The process's id: the broker's, also after the jar replaced itself with a tuned JVM (same pid). */
    public long pid() {
        return process.pid();
    }

    /** SIGTERM: the broker stops as an operator stops it. */
    public void stop() {
        process.destroy();
    }

    /** SIGKILL: the broker goes at once, handing nothing over. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Whether the process ended within {@code timeout}. */
    public boolean exitsWithin(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The exit code; fails while the process runs. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Everything the broker wrote so far: its stdout, then its stderr. */
    public String output() {
        return stdout() + stderr();
    }

    /** What the broker wrote to stdout so far (its log, by default). */
    public String stdout() {
        return read(stdout);
    }

    /** What the broker wrote to stderr so far. */
    public String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process unless it has ended, and waits until it is gone. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker process " + process.pid() + " survived SIGKILL for " + WAIT);
        }
    }
}
