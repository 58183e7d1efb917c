/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What a run measures: {@code standard} (about 10 minutes on 2 cores) or {@code quick} (about 2 minutes).
 * The relay scenario asks {@code relayConcurrency.get(i)} questions at once, {@code relayRounds.get(i)}
 * times.
 */
record Profile(
        String name,
        int teams,
        List<Integer> rates,
        Duration rateDuration,
        int burst,
        int windowEvents,
        int window,
        int bigTeams,
        List<Integer> bigRates,
        int bigBurst,
        List<Integer> densities,
        Duration idleWindow,
        int socketModeTeams,
        int socketModeRate,
        int socketModeBurst,
        List<Integer> relayConcurrency,
        List<Integer> relayRounds) {
    static Profile named(String name) {
        return switch (name) {
            case "standard" ->
                new Profile(
                        name,
                        1_000,
                        List.of(5_000, 10_000),
                        Duration.ofSeconds(10),
                        200_000,
                        100_000,
                        5_000,
                        5_000,
                        List.of(5_000),
                        100_000,
                        List.of(10_000),
                        Duration.ofSeconds(10),
                        100,
                        2_000,
                        50_000,
                        List.of(1, 10, 100),
                        List.of(60, 10, 3));
            case "quick" ->
                new Profile(
                        name,
                        200,
                        List.of(2_000),
                        Duration.ofSeconds(5),
                        20_000,
                        10_000,
                        1_000,
                        500,
                        List.of(2_000),
                        10_000,
                        List.of(1_000),
                        Duration.ofSeconds(5),
                        20,
                        500,
                        5_000,
                        List.of(1, 10, 100),
                        List.of(20, 3, 1));
            default -> throw new IllegalArgumentException("unknown profile '" + name + "': standard or quick");
        };
    }

    /** This profile with other connection counts for the density scenario, {@code csv} as given: {@code 1000,10000}. */
    Profile withDensities(String csv) {
        return new Profile(
                name + " (densities " + csv + ")",
                teams,
                rates,
                rateDuration,
                burst,
                windowEvents,
                window,
                bigTeams,
                bigRates,
                bigBurst,
                Arrays.stream(csv.split(","))
                        .map(String::trim)
                        .map(Integer::valueOf)
                        .toList(),
                idleWindow,
                socketModeTeams,
                socketModeRate,
                socketModeBurst,
                relayConcurrency,
                relayRounds);
    }
}
