/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.Workspace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's process for {@link SimulatorProcess}: {@code n} workspaces with one RTM bot each;
 * prints {@code ready <base url>}, then answers {@code open} with the number of open RTM sockets and ends
 * on {@code quit} (or when its input closes).
 */
public final class SimulatorMain {
    private SimulatorMain() {}

    /** The harness's workspace number {@code i}: {@code TB<i>}, with the RTM bot {@code xoxb-bench-<i>}. */
    static Workspace team(SlackSimulator slack, int i) {
        Workspace ws = slack.workspace(teamId(i));
        ws.bot(token(i), "UBOT" + i, "relaxbot");
        return ws;
    }

    static String teamId(int i) {
        return "TB" + i;
    }

    static String token(int i) {
        return "xoxb-bench-" + i;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        try (SlackSimulator slack = SlackSimulator.builder().recordFrames(false).start()) {
            List<Workspace> teams = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                teams.add(team(slack, i));
            }
            System.out.println("ready " + slack.baseUrl());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                if (line.equals("open")) {
                    int open = 0;
                    for (Workspace ws : teams) {
                        open += ws.openConnections();
                    }
                    System.out.println(open);
                    System.out.flush();
                }
            }
        }
        System.exit(0);
    }
}
