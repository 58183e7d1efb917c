/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The relay being measured: {@code java -jar relax-relay.jar} (what operators run) in fleet mode, in a
 * process of its own, consuming the events queue of the broker under test. {@code BENCH_RELAY_JVM_OPTS}
 * adds JVM flags; the system property {@code relax.relay.jar} names another build of the jar.
 */
final class RelayUnderTest implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    /** What the relay logs once it consumes the queue (docs/relay.md, "Operations"). */
    private static final String STARTED = "relay started: mode=fleet";

    private final Process process;
    private final Path log;

    private RelayUnderTest(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the jar with only {@code env} (and PATH), and waits until it says it started. */
    static RelayUnderTest start(Map<String, String> env) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("relax.relay.jar", "relax-relay/target/relax-relay.jar"));
        if (!Files.exists(jar)) {
            throw new IOException("no relay jar at " + jar.toAbsolutePath()
                    + "; build it: ./build.sh mvn -pl relax-relay -am package -DskipTests");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        for (String o :
                System.getenv().getOrDefault("BENCH_RELAY_JVM_OPTS", "").trim().split("\\s+")) {
            if (!o.isEmpty()) {
                command.add(o);
            }
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", ""));
        pb.environment().putAll(env);
        Path log = Files.createTempFile("relax-bench-relay", ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        RelayUnderTest relay = new RelayUnderTest(pb.start(), log);
        try {
            relay.awaitStarted();
        } catch (IOException | RuntimeException | InterruptedException e) {
            relay.close();
            throw e;
        }
        return relay;
    }

    private void awaitStarted() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (!Files.readString(log).contains(STARTED)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the relay exited before it started (" + logHint() + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the relay did not start within " + START_DEADLINE.toSeconds() + " s (" + logHint() + ")");
            }
            Thread.sleep(50);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Where to look when something went wrong. */
    String logHint() {
        return "exit code " + (process.isAlive() ? "?" : process.exitValue()) + ", log " + log;
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the relay lets answers under way finish, then exits
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
