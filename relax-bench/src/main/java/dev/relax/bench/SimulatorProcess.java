/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Slack simulator in a process of its own ({@link SimulatorMain}), for connection counts at which one
 * process could not hold both ends of every socket (20,000 open files per process here). Its workspaces
 * are {@code TB0..TB<n-1>} with bot tokens {@code xoxb-bench-<i>}; the harness asks it over stdin how many
 * sockets are open.
 */
final class SimulatorProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader in;
    private final PrintWriter out;
    private final String baseUrl;

    private SimulatorProcess(Process process, BufferedReader in, PrintWriter out, String baseUrl) {
        this.process = process;
        this.in = in;
        this.out = out;
        this.baseUrl = baseUrl;
    }

    static SimulatorProcess start(int teams) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        SimulatorMain.class.getName(),
                        Integer.toString(teams)))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
        String line;
        while ((line = in.readLine()) != null && !line.startsWith("ready ")) {
            // skip anything printed before
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("the simulator process ended before it was ready");
        }
        return new SimulatorProcess(
                p, in, out, line.substring("ready ".length()).trim());
    }

    /** Team id to bot token of the first {@code n} workspaces, as {@link SimulatorMain} creates them. */
    static Map<String, String> tokens(int n) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(SimulatorMain.teamId(i), SimulatorMain.token(i));
        }
        return out;
    }

    String baseUrl() {
        return baseUrl;
    }

    synchronized int openConnections() {
        out.println("open");
        try {
            String line = in.readLine();
            return line == null ? -1 : Integer.parseInt(line.trim());
        } catch (IOException | NumberFormatException e) {
            return -1; // the simulator process died or garbled its answer: awaitConnected reports the count
        }
    }

    @Override
    public void close() {
        out.println("quit");
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
