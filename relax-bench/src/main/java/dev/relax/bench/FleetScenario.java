/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import static dev.relax.bench.Measurements.percent;
import static dev.relax.bench.Measurements.seconds;

import dev.relax.core.RelaxConfig;
import dev.relax.testkit.SlackSimulator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fleet on one Redis ({@code --only fleet}): B broker processes, T RTM teams in the simulator (in the
 * harness's JVM, which holds the server end of each of the T x R sockets), {@code RELAX_RTM_REPLICAS=R}
 * in the brokers' environment. Per column: the time until every team is held R times, the sockets,
 * memory and CPU of each broker, latency at a fixed offered rate, the burst rate, and what each event
 * costs Redis: commands, CPU and memory. The report's figures are per event pushed, that is per distinct
 * event; the copies the other replicas wrote are part of its cost.
 */
final class FleetScenario {
    /** One JVM start and T x R logins on 2 cores shared with the simulator: far more than a minute at 5,000 teams. */
    private static final Duration HOLD_DEADLINE = Duration.ofMinutes(3);
    /** Events left on the queue to weigh one queued event. */
    private static final int QUEUED_PROBE = 20_000;

    private final RedisServer redis;
    private final Profile profile;
    private final FleetPlan plan;
    private final Report report;
    private final String brokerMode;

    FleetScenario(RedisServer redis, Profile profile, FleetPlan plan, Report report, String brokerMode) {
        this.redis = redis;
        this.profile = profile;
        this.plan = plan;
        this.report = report;
        this.brokerMode = brokerMode;
    }

    void run(FleetPlan.Row row) throws Exception {
        String col = row.label();
        System.out.printf(Locale.ROOT, "%n== fleet: %s ==%n", col);
        redis.flush();
        RedisInfo empty = RedisInfo.of(redis.port());
        try (SlackSimulator slack = SlackSimulator.builder().recordFrames(false).start()) {
            List<EventSource.Team> teams = LoadHarness.rtmTeams(slack, row.teams());
            RelaxConfig config = LoadHarness.config(redis, slack.baseUrl());
            LoadHarness.registerBots(redis, config, SimulatorProcess.tokens(row.teams()));
            Map<String, String> env = RunOptions.brokerEnv("jdk");
            if (row.replicas() != FleetPlan.ALL) {
                env.put("RELAX_RTM_REPLICAS", Integer.toString(row.replicas()));
            }
            List<BrokerUnderTest> brokers = new ArrayList<>();
            try {
                long started = System.nanoTime();
                for (int i = 0; i < row.brokers(); i++) {
                    // Each its own HTTP port; the same keys.
                    brokers.add(BrokerUnderTest.start(
                            brokerMode, i == 0 ? config : LoadHarness.config(redis, slack.baseUrl()), env));
                }
                double held = awaitHeld(teams, row.copies(), brokers, started);
                report.put(col, "every team held R times (from the first broker's start)", seconds(held));
                Idle idle = idle(row, teams, brokers, empty);
                load(row, teams, brokers, config, idle);
            } finally {
                for (BrokerUnderTest b : brokers) {
                    b.close();
                }
            }
        }
    }

    /** A fleet at rest: the brokers' mean CPU (percent of a core) and Redis's (µs a second). */
    private record Idle(double brokerCpu, double redisMicrosPerSecond) {}

    private Idle idle(FleetPlan.Row row, List<EventSource.Team> teams, List<BrokerUnderTest> brokers, RedisInfo empty)
            throws InterruptedException {
        String col = row.label();
        Thread.sleep(10_000); // the connect storm's JIT compilation and garbage settle, as in the RTM scenario
        List<ProcStats> before = new ArrayList<>();
        brokers.forEach(b -> before.add(ProcStats.of(b.pid())));
        RedisInfo redisBefore = RedisInfo.of(redis.port());
        long t0 = System.nanoTime();
        Thread.sleep(profile.idleWindow().toMillis());
        long elapsed = System.nanoTime() - t0;
        double idleRedis = RedisInfo.of(redis.port()).minus(redisBefore).cpuMicros() / (elapsed / 1e9);
        double rss = 0;
        double cpu = 0;
        int fds = 0;
        for (int i = 0; i < brokers.size(); i++) {
            ProcStats after = ProcStats.of(brokers.get(i).pid());
            rss += after.rssKb() / (double) brokers.size();
            cpu += after.cpuPercentSince(before.get(i), elapsed) / brokers.size();
            fds = Math.max(fds, ProcStats.sockets(brokers.get(i).pid()));
        }
        // Counted once settled: a broker that ignores RELAX_RTM_REPLICAS may still be logging in when R are up.
        double perBroker = Measurements.open(teams) / (double) row.brokers();
        report.put(
                col,
                "RTM sockets per broker (T x R / B expected)",
                String.format(
                        Locale.ROOT, "%,.0f (%,.0f)", perBroker, row.teams() * (double) row.copies() / row.brokers()));
        report.put(col, "open sockets of the busiest broker (all kinds)", String.format(Locale.ROOT, "%,d", fds));
        report.put(
                col,
                "broker RSS, mean (per RTM socket)",
                String.format(Locale.ROOT, "%,.0f MB (%.1f KB)", rss / 1024, rss / perBroker));
        report.put(col, "broker idle CPU, mean (pings every 5 s)", percent(cpu));
        report.put(
                col,
                "Redis idle CPU (no events flowing)",
                String.format(Locale.ROOT, "%.1f%% of a core", idleRedis / 1e4));
        RedisInfo idle = RedisInfo.of(redis.port()).minus(empty);
        report.put(
                col,
                "Redis memory per team (bots hash, leases)",
                String.format(Locale.ROOT, "%.0f B", idle.usedMemory() / (double) row.teams()));
        return new Idle(cpu, idleRedis);
    }

    private void load(
            FleetPlan.Row row,
            List<EventSource.Team> teams,
            List<BrokerUnderTest> brokers,
            RelaxConfig config,
            Idle idle)
            throws InterruptedException {
        String col = row.label();
        double idleRedis = idle.redisMicrosPerSecond();
        FleetLoad load = new FleetLoad(redis, brokers);
        EventSource source = new EventSource(teams, false);
        try (EventSink sink = new EventSink(redis.port(), config.eventsQueue())) {
            load.phase(source, sink, plan.burst() / 5, 0); // warm-up: the JIT compiles the hot path
            int rate = plan.rate();
            FleetLoad.Result steady = load.phase(
                    source, sink, (long) rate * profile.rateDuration().toSeconds(), rate);
            long n = Math.max(1, steady.phase().pushed());
            String at = String.format(Locale.ROOT, "at %,d events/s", rate);
            report.put(col, at + ": latency p50 / p99 / p99.9", steady.phase().latencyText());
            report.put(col, at + ": lost, duplicated", steady.phase().lossText());
            report.put(col, at + ": broker CPU", steady.brokerCpuText());
            // Each broker reads rate x R / B events a second (every copy of its teams'), over its idle load.
            double perBroker = rate * (double) row.copies() / row.brokers();
            report.put(
                    col,
                    at + ": broker CPU per event read (idle subtracted)",
                    String.format(
                            Locale.ROOT, "%.0f µs", (steady.phase().brokerCpu() - idle.brokerCpu()) * 1e4 / perBroker));
            report.put(
                    col,
                    at + ": copies deduplicated per event",
                    String.format(Locale.ROOT, "%.2f", steady.deduplicated() / (double) n));
            report.put(col, at + ": Redis calls per event", steady.redis().callsPerEvent(n));
            report.put(col, at + ": Redis CPU per event (idle subtracted)", steady.redisCostText(idleRedis));
            report.put(
                    col,
                    at + ": Redis memory per event (dedupe entry, kept for RELAX_DEDUPE_TTL)",
                    String.format(Locale.ROOT, "%.0f B", steady.redis().usedMemory() / (double) n));

            FleetLoad.Result burst = load.phase(source, sink, plan.burst(), 0);
            long m = Math.max(1, burst.phase().pushed());
            String b = String.format(Locale.ROOT, "burst of %,d", plan.burst());
            report.put(col, b + ": events/s into Redis", burst.phase().throughputText(Double.NaN));
            report.put(col, b + ": latency p50 / p99 / max", burst.phase().burstLatencyText());
            report.put(
                    col,
                    b + ": lost, duplicated, reconnects",
                    burst.phase().lossText() + ", " + burst.phase().reconnects());
            report.put(col, b + ": broker CPU", burst.brokerCpuText());
            report.put(col, b + ": Redis calls per event", burst.redis().callsPerEvent(m));
            report.put(col, b + ": Redis CPU per event (idle subtracted)", burst.redisCostText(idleRedis));
        }
        // No consumer now: the events stay on the queue, and MEMORY USAGE weighs them.
        load.phase(source, null, QUEUED_PROBE, 0);
        report.put(col, "Redis memory per queued event", queuedEventBytes(config.eventsQueue()));
    }

    private String queuedEventBytes(String queue) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redis.port()));
        try (var c = client.connect()) {
            long length = c.sync().llen(queue);
            Long bytes = c.sync().memoryUsage(queue);
            c.sync().del(queue);
            return length == 0 || bytes == null
                    ? "n/a"
                    : String.format(Locale.ROOT, "%.0f B (%,d queued)", bytes / (double) length, length);
        } finally {
            client.shutdown();
        }
    }

    /**
     * Seconds from {@code startedNanos} until every team has {@code copies} open sockets; fails when the
     * deadline passes or a broker's process ended, with how many teams were held that often.
     */
    private static double awaitHeld(
            List<EventSource.Team> teams, int copies, List<BrokerUnderTest> brokers, long startedNanos)
            throws InterruptedException {
        long deadline = startedNanos + HOLD_DEADLINE.toNanos();
        while (true) {
            int held = 0;
            for (EventSource.Team t : teams) {
                held += t.workspace().openConnections() >= copies ? 1 : 0;
            }
            if (held == teams.size()) {
                return (System.nanoTime() - startedNanos) / 1e9;
            }
            for (BrokerUnderTest b : brokers) {
                if (!b.alive()) {
                    throw new IllegalStateException(String.format(
                            Locale.ROOT,
                            "%,d of %,d teams held %d times, then a broker exited (%s)",
                            held,
                            teams.size(),
                            copies,
                            b.logHint()));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT,
                        "%,d of %,d teams held %d times after %d s",
                        held,
                        teams.size(),
                        copies,
                        HOLD_DEADLINE.toSeconds()));
            }
            Thread.sleep(100);
        }
    }
}
