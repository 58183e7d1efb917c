/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar relax-relay.jar} (built by {@code package}, before Failsafe runs) as an operator runs it:
 * a separate process with only the environment given, its output in files under a test's folder, killed
 * when closed.
 */
record RelayJar(Process process, Path stdoutFile, Path stderrFile) implements AutoCloseable {
    private static final Path JAR = Path.of("target", "relax-relay.jar");
    private static final Duration WAIT = Duration.ofSeconds(60);

    static RelayJar start(Map<String, String> env, Path logs, String... args) throws IOException {
        assertThat(JAR)
                .as("the relay jar; build it with: ./build.sh mvn -pl relax-relay -am package")
                .exists();
        Path stdout = Files.createTempFile(logs, "relax-relay", ".out");
        Path stderr = Files.createTempFile(logs, "relax-relay", ".err");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", ""));
        pb.redirectOutput(stdout.toFile());
        pb.redirectError(stderr.toFile());
        return new RelayJar(pb.start(), stdout, stderr);
    }

    String stdout() throws IOException {
        return Files.readString(stdoutFile, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
        return Files.readString(stderrFile, StandardCharsets.UTF_8);
    }

    String output() throws IOException {
        return stdout() + stderr();
    }

    /**
     * Kills the process at once, as a crash or the OOM killer would: on Linux {@link Process#destroyForcibly()}
     * sends SIGKILL, which the JVM cannot catch, so no shutdown hook runs and nothing is handed back.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the relay process " + process.pid() + " survived SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
