/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import dev.relax.broker.BrokerOptions;
import dev.relax.broker.RelaxBroker;
import dev.relax.core.RelaxConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The broker being measured: the runnable jar in its own process (what operators run), or a {@link
 * RelaxBroker} in the harness's JVM (then process figures include the harness and are not reported), or
 * the Go broker's binary in its own process (no {@code /metrics}: see {@link #hasMetrics()}).
 */
abstract class BrokerUnderTest implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final int httpPort;

    BrokerUnderTest(int httpPort) {
        this.httpPort = httpPort;
    }

    /** The broker's own process, or -1 when it shares the harness's. */
    abstract long pid();

    /** The broker's {@code /metrics}, as name (with labels) to value. */
    Map<String, Double> metrics() {
        try {
            String body = HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Map<String, Double> out = new HashMap<>();
            for (String line : body.lines().toList()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the broker's /metrics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * False for the Go broker: it has no {@code /metrics}, so the harness counts its events on the queue's
     * side and reports heap and reconnects as n/a.
     */
    boolean hasMetrics() {
        return true;
    }

    /** Sum of every metric whose name (before labels) is {@code name}. */
    double metricSum(String name) {
        return metricSum(name, "");
    }

    /**
     * Sum of every metric whose name is {@code name} and whose labels include {@code label} (such as {@code
     * area="heap"}, as the page prints it; empty: any).
     */
    double metricSum(String name, String label) {
        return metrics().entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> e.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** False once the broker's process ended. */
    boolean alive() {
        return true;
    }

    /** Where to look when it ended. */
    String logHint() {
        return "see its log";
    }

    /** Runs a full GC in the broker (jcmd for a process), so that heap figures show live data only. */
    abstract void gc();

    static BrokerUnderTest start(String mode, RelaxConfig config, Map<String, String> extraEnv) throws IOException {
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.putAll(extraEnv);
        if (mode.equals("jvm")) {
            Map<String, String> all = new HashMap<>(System.getenv());
            all.putAll(env);
            RelaxBroker broker = RelaxBroker.builder(config)
                    .options(BrokerOptions.fromEnv(all))
                    .build()
                    .start();
            return new InJvm(broker, config.port());
        }
        return Separate.launch(env, config.port());
    }

    /** The Go broker's {@code binary} with the environment the jar would get: same Redis, keys, simulator. */
    static BrokerUnderTest startGoPeer(Path binary, RelaxConfig config, Map<String, String> extraEnv)
            throws IOException {
        if (!Files.isExecutable(binary)) {
            throw new IOException("RELAX_GO_PEER=" + binary + " is not an executable file; build it as"
                    + " docs/performance.md (Against the Go broker) says");
        }
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.putAll(extraEnv);
        return Separate.start(List.of(binary.toString()), env, config.port(), false);
    }

    /** The jar, or the Go broker, as a separate process. */
    static final class Separate extends BrokerUnderTest {
        private final Process process;
        private final Path log;
        private final boolean jvm;

        private Separate(Process process, Path log, int port, boolean jvm) {
            super(port);
            this.process = process;
            this.log = log;
            this.jvm = jvm;
        }

        /**
         * Starts the jar; a column's {@code BENCH_BROKER_JAR=<path>} runs another build of it (an A/B of two
         * versions in one run, e.g. {@code --transports jdk:BENCH_BROKER_JAR=/tmp/old/relax-broker.jar,jdk}).
         */
        static Separate launch(Map<String, String> columnEnv, int port) throws IOException {
            Map<String, String> env = new java.util.HashMap<>(columnEnv);
            String otherJar = env.remove("BENCH_BROKER_JAR");
            Path jar = Path.of(
                    otherJar != null
                            ? otherJar
                            : System.getProperty("relax.broker.jar", "relax-broker/target/relax-broker.jar"));
            if (!Files.exists(jar)) {
                throw new IOException("no broker jar at " + jar.toAbsolutePath()
                        + "; build it: ./build.sh mvn -pl relax-broker -am package -DskipTests");
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java));
            String opts = System.getenv().getOrDefault("BENCH_BROKER_JVM_OPTS", "");
            for (String o : opts.trim().split("\\s+")) {
                if (!o.isEmpty()) {
                    command.add(o);
                }
            }
            command.addAll(List.of("-jar", jar.toString()));
            return start(command, env, port, true);
        }

        private static Separate start(List<String> command, Map<String, String> env, int port, boolean jvm)
                throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().clear();
            pb.environment().put("PATH", System.getenv().getOrDefault("PATH", ""));
            pb.environment().putAll(env);
            Path log = Files.createTempFile(jvm ? "relax-bench-broker" : "relax-bench-go-peer", ".log");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            return new Separate(pb.start(), log, port, jvm);
        }

        @Override
        boolean hasMetrics() {
            return jvm;
        }

        @Override
        Map<String, Double> metrics() {
            return jvm ? super.metrics() : Map.of();
        }

        @Override
        long pid() {
            return process.pid();
        }

        @Override
        boolean alive() {
            return process.isAlive();
        }

        @Override
        String logHint() {
            return "exit code " + (process.isAlive() ? "?" : process.exitValue()) + ", log " + log;
        }

        @Override
        void gc() {
            if (!jvm) {
                return; // the Go broker: no heap figure is reported
            }
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            try {
                Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                // No jcmd: heap figures then include garbage; the report says heap "after GC" only with it.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            process.destroy(); // SIGTERM: the broker closes its sockets and flushes
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A broker in the harness's JVM. */
    static final class InJvm extends BrokerUnderTest {
        private final RelaxBroker broker;

        InJvm(RelaxBroker broker, int port) {
            super(port);
            this.broker = broker;
        }

        @Override
        long pid() {
            return -1;
        }

        @Override
        void gc() {
            System.gc();
        }

        @Override
        public void close() {
            broker.close();
        }
    }
}
