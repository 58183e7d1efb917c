/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The fleet scenario's grid ({@code --only fleet}): every combination of brokers, teams and RTM replicas
 * is one column of its table, measured at a fixed offered rate and then in a burst. The defaults finish
 * in about five minutes on 2 cores.
 *
 * <pre>
 *   --brokers 1,2,3       broker processes on one Redis
 *   --teams 1000          RTM workspaces in the simulator
 *   --replicas all,2      RELAX_RTM_REPLICAS of the brokers: all (every broker holds every team) or a count
 *   --fleet-rate 2000     the fixed offered rate, events per second
 *   --fleet-burst 50000   the burst, sent as fast as the simulator can
 * </pre>
 *
 * @param replicas 0 for {@code all}
 */
record FleetPlan(List<Integer> brokers, List<Integer> teams, List<Integer> replicas, int rate, int burst) {
    /** Every broker holds every team: {@code RELAX_RTM_REPLICAS} unset. */
    static final int ALL = 0;

    static FleetPlan fromOptions(Map<String, String> opts) {
        return new FleetPlan(
                numbers(opts.getOrDefault("brokers", "1,2,3"), "brokers"),
                numbers(opts.getOrDefault("teams", "1000"), "teams"),
                numbers(opts.getOrDefault("replicas", "all,2"), "replicas"),
                Integer.parseInt(opts.getOrDefault("fleet-rate", "2000")),
                Integer.parseInt(opts.getOrDefault("fleet-burst", "50000")));
    }

    /** One column of the table. */
    record Row(int brokers, int teams, int replicas) {
        /** Teams held by this many brokers each: all of them, or the replica count. */
        int copies() {
            return replicas == ALL ? brokers : Math.min(replicas, brokers);
        }

        String label() {
            return brokers + (brokers == 1 ? " broker, " : " brokers, ") + String.format("%,d", teams) + " teams, R="
                    + (replicas == ALL ? "all" : Integer.toString(replicas));
        }
    }

    /**
     * The grid, teams outermost. A replica count of at least the broker count is left out: every broker
     * then holds every team, which the {@code all} column measures.
     */
    List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (int t : teams) {
            for (int b : brokers) {
                for (int r : replicas) {
                    if (r == ALL || r < b) {
                        out.add(new Row(b, t, r));
                    }
                }
            }
        }
        return out;
    }

    private static List<Integer> numbers(String csv, String option) {
        try {
            List<Integer> out = Arrays.stream(csv.split(","))
                    .map(String::trim)
                    .map(n -> option.equals("replicas") && n.equals("all") ? ALL : Integer.parseInt(n))
                    .toList();
            if (out.stream().anyMatch(n -> n < 0)) {
                throw new NumberFormatException();
            }
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " takes numbers separated by commas, was '" + csv + "'");
        }
    }
}
