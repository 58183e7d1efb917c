/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What Redis says of its own work ({@code INFO commandstats}, {@code cpu}, {@code memory}): calls by
 * command, CPU time of the whole server, memory in use. The difference of two samples
 * ({@link #minus}) divided by the events of a phase is what each event costs Redis. Commands run by a Lua
 * script count under their own names as well as in the script's {@code evalsha}.
 *
 * @param calls calls by command name, lower case ({@code evalsha}, {@code rpush})
 * @param cpuMicros {@code used_cpu_user + used_cpu_sys} in microseconds: everything the server did,
 *     reading sockets and writing replies included
 * @param usedMemory {@code used_memory} in bytes
 */
record RedisInfo(Map<String, Long> calls, long cpuMicros, long usedMemory) {
    /** Samples the Redis on {@code port} of the loopback. */
    static RedisInfo of(int port) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        try (var c = client.connect()) {
            var redis = c.sync();
            return parse(redis.info("commandstats") + "\n" + redis.info("cpu") + "\n" + redis.info("memory"));
        } finally {
            client.shutdown();
        }
    }

    /** Reads the text of {@code INFO} (any of its sections; others are skipped). */
    static RedisInfo parse(String info) {
        Map<String, Long> calls = new HashMap<>();
        double cpuSeconds = 0;
        long memory = 0;
        for (String line : info.lines().map(String::trim).toList()) {
            int colon = line.indexOf(':');
            if (line.startsWith("#") || colon < 0) {
                continue;
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1);
            if (name.startsWith("cmdstat_")) {
                // cmdstat_rpush:calls=12,usec=34,usec_per_call=2.83,rejected_calls=0,failed_calls=0
                String command = name.substring("cmdstat_".length());
                for (String field : value.split(",")) {
                    String[] kv = field.split("=", 2);
                    if (kv[0].equals("calls")) {
                        calls.put(command, Long.parseLong(kv[1]));
                    }
                }
            } else if (name.equals("used_cpu_user") || name.equals("used_cpu_sys")) {
                cpuSeconds += Double.parseDouble(value);
            } else if (name.equals("used_memory")) {
                memory = Long.parseLong(value);
            }
        }
        return new RedisInfo(Map.copyOf(calls), Math.round(cpuSeconds * 1e6), memory);
    }

    /** What happened between {@code before} and this sample (memory: the growth, which may be negative). */
    RedisInfo minus(RedisInfo before) {
        return new RedisInfo(
                difference(calls, before.calls), cpuMicros - before.cpuMicros, usedMemory - before.usedMemory);
    }

    /**
     * Calls per event by command, most first, as {@code evalsha 0.10, exists 3.00}; the harness's own
     * {@code info} calls left out, commands under 0.005 per event too.
     */
    String callsPerEvent(long events) {
        return calls.entrySet().stream()
                .filter(e -> !e.getKey().equals("info"))
                .filter(e -> e.getValue() / (double) events >= 0.005)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / (double) events))
                .collect(Collectors.joining(", "));
    }

    /** Server CPU microseconds per event. */
    double cpuMicrosPerEvent(long events) {
        return cpuMicros / (double) events;
    }

    private static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> out = new HashMap<>();
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
        out.values().removeIf(v -> v == 0);
        return Map.copyOf(out);
    }
}
