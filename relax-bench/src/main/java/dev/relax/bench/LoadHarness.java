/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import static dev.relax.bench.Measurements.percent;
import static dev.relax.bench.Measurements.seconds;

import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.Workspace;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end load harness: the Slack simulator plays the workspaces (RTM) or an app (Socket Mode),
 * the broker (its jar in a separate process by default) writes their events to a real {@code
 * redis-server}, and a consumer pops them. Prints, and writes as Markdown, a table per websocket layer.
 *
 * <pre>
 *   ./build.sh bench                        the standard profile (2 cores: about 10 minutes)
 *   ./build.sh bench --profile quick        a smoke run (about 2 minutes)
 *   ./build.sh bench --broker jvm           the broker in the harness's JVM
 *   ./build.sh bench --transports jdk       one websocket layer only
 *   ./build.sh bench --only rtm,density     some scenarios only (rtm, density, socket-mode, relay, fleet)
 *   ./build.sh bench --only fleet --brokers 1,2,3 --teams 1000 --replicas all,2
 *                                           several brokers on one Redis (see {@link FleetPlan})
 *   ./build.sh bench --densities 10000      other connection counts for the density scenario
 *   ./build.sh bench --transports jdk,jdk:RELAX_WRITE_LINGER=0
 *                                           an A/B in one run: a column per broker setting
 *   ./build.sh bench --update-docs          also replaces the table in docs/performance.md
 *   RELAX_GO_PEER=/work/go-peer/relax-go ./build.sh bench --only rtm,density
 *                                           the Go broker as a column, each of ours compared with it
 * </pre>
 */
public final class LoadHarness {
    private final Profile profile;
    private final String brokerMode;
    /** The Go broker's binary, for the {@link RunOptions#GO} column; null without one. */
    private final Path goPeer;

    private final RedisServer redis;
    private final Report report;
    private final Measurements measure;

    private LoadHarness(Profile profile, RunOptions options, RedisServer redis, Report report) {
        this.profile = profile;
        this.brokerMode = options.brokerMode();
        this.goPeer = options.goPeer();
        this.redis = redis;
        this.report = report;
        this.measure = new Measurements(redis, profile);
    }

    public static void main(String[] args) throws Exception {
        RunOptions options = RunOptions.parse(System.getenv(), args);
        Profile profile = options.profile();
        List<String> transports = options.transports();
        Path out = options.out();
        // Ctrl-C or a failure must not leave redis-server, a broker or a simulator process behind.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        int status = 0;
        try (RedisServer redis = RedisServer.start()) {
            Report report = new Report(transports);
            report.header(options.machine(redis));
            System.out.println("redis: " + redis.description() + " on port " + redis.port());
            var rpush = redis.rpushRate(200_000);
            String rpushText =
                    rpush.map(r -> String.format(Locale.ROOT, "%,.0f/s", r)).orElse("n/a (no redis-benchmark)");
            System.out.println("redis-benchmark -t rpush -P 1 -n 200000: " + rpushText);
            report.note("`redis-benchmark -t rpush -P 1 -n 200000 -q` on the same redis-server in the same run: **"
                    + rpushText + "**");
            report.rpush(rpush.orElse(Double.NaN));

            LoadHarness harness = new LoadHarness(profile, options, redis, report);
            List<String> only = options.only();
            // Interleaved: each size on every column in turn (the Go broker first), so that a drift of the
            // machine during the run does not land on one column only.
            if (only.contains("rtm")) {
                for (String transport : transports) {
                    harness.guarded(
                            "RTM " + profile.teams() + ", " + transport,
                            () -> harness.rtm(transport, profile.teams(), profile.rates(), profile.burst()));
                }
                for (String transport : transports) {
                    harness.guarded(
                            "RTM " + profile.bigTeams() + ", " + transport,
                            () -> harness.rtm(transport, profile.bigTeams(), profile.bigRates(), profile.bigBurst()));
                }
            }
            if (only.contains("density")) {
                for (int n : profile.densities()) {
                    for (String transport : transports) {
                        harness.guarded("density " + n + ", " + transport, () -> harness.density(transport, n));
                    }
                }
                transports.forEach(t -> harness.marginal.report(report, t));
            }
            if (only.contains("socket-mode")) {
                harness.guarded("Socket Mode", harness::socketMode);
            }
            if (only.contains("fleet")) {
                Report fleetReport = new Report(
                        options.fleet().rows().stream()
                                .map(FleetPlan.Row::label)
                                .toList(),
                        c -> c);
                FleetScenario fleet =
                        new FleetScenario(redis, profile, options.fleet(), fleetReport, options.brokerMode());
                for (FleetPlan.Row row : options.fleet().rows()) {
                    harness.guarded(row.label(), () -> fleet.run(row));
                }
                report.append(fleetReport);
            }
            if (only.contains("relay")) {
                harness.guarded("relay", () -> new RelayOverhead(redis, profile, report, options.brokerMode()).run());
            }
            status = harness.failures == 0 ? 0 : 1;

            String table = report.markdown();
            System.out.println();
            System.out.println(table);
            if (!OtlpSink.summary().isEmpty()) {
                System.out.println(OtlpSink.summary());
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, table);
            System.out.println("written to " + out);
            if (options.updateDocs() && only.equals(List.of("fleet"))) {
                System.out.println("docs/performance.md not updated: the fleet's table goes in its Fleets section");
            } else if (options.updateDocs()) {
                Report.replaceInDocs(Path.of("docs/performance.md"), table);
                System.out.println("docs/performance.md updated");
            }
        } catch (Exception e) {
            System.err.println("bench: " + e);
            status = 1;
        }
        System.exit(status); // the simulator's and Lettuce's threads would keep the JVM up for a while
    }

    private int failures;
    private final MarginalCost marginal = new MarginalCost();

    private interface Scenario {
        void run() throws Exception;
    }

    /** Runs a scenario; a failure is reported in the table and the run goes on with the next one. */
    private void guarded(String name, Scenario scenario) {
        try {
            scenario.run();
        } catch (Exception | AssertionError e) {
            failures++;
            System.err.println("bench: scenario " + name + " failed: " + e);
            report.note("**Scenario " + name + " failed:** " + e.getMessage());
        }
    }

    /**
     * RTM: connect {@code n} teams, idle, fixed rates with latency, then a burst. The simulator runs in
     * this JVM, which holds one end of each socket: up to about 9,000 teams fit its 20,000 files.
     */
    private void rtm(String transport, int n, List<Integer> rates, int burstSize) throws Exception {
        System.out.printf(Locale.ROOT, "%n== RTM, %d teams, websocket %s ==%n", n, transport);
        redis.flush();
        try (SlackSimulator slack = SlackSimulator.builder().recordFrames(false).start()) {
            List<EventSource.Team> teams = rtmTeams(slack, n);
            RelaxConfig config = config(slack.baseUrl());
            registerBots(config, SimulatorProcess.tokens(n));
            long started = System.nanoTime();
            try (BrokerUnderTest broker = startBroker(transport, config)) {
                double connectSeconds = Measurements.awaitConnected(() -> Measurements.open(teams), n, broker, started);
                report.put(transport, "RTM " + n + ": all connected (from broker start)", seconds(connectSeconds));
                Sample idle = measure.idle(broker);
                report.put(transport, "RTM " + n + ": broker RSS (per team)", idle.rssText(n));
                report.put(transport, "RTM " + n + ": heap after GC, threads", idle.heapThreadsText());
                report.put(transport, "RTM " + n + ": idle CPU (pings every 5 s)", percent(idle.cpuPercent()));
                marginal.add(transport, n, idle);

                EventSource source = new EventSource(teams, false);
                try (EventSink sink = new EventSink(redis.port(), config.eventsQueue())) {
                    // No warm-up: a broker is judged from its first event (a deploy, a failover), so the
                    // first measured phase is the first load it sees (issue 19).
                    for (int rate : rates) {
                        Phase p = measure.phase(
                                broker,
                                source,
                                sink,
                                (long) rate * profile.rateDuration().toSeconds(),
                                rate);
                        String key = String.format(Locale.ROOT, "RTM %d: latency at %,d events/s", n, rate);
                        report.put(transport, key + " p50 / p99 / p99.9 / max", p.latencyText());
                        report.put(transport, key + ": broker CPU, redis CPU", p.cpuText());
                        report.put(transport, key + ": lost, duplicated", p.lossText());
                        Measurements.requireAlive(broker, key);
                    }
                    Phase burst = measure.phase(broker, source, sink, burstSize, 0);
                    String key = String.format(Locale.ROOT, "RTM %d: burst of %,d events", n, burstSize);
                    report.put(transport, key + ": events/s into Redis", burst.throughputText(report.rpush()));
                    report.put(
                            transport,
                            key + ": lost, duplicated, reconnects",
                            burst.lossText() + ", " + burst.reconnectsText());
                    report.put(transport, key + ": latency p50 / p99 / max", burst.burstLatencyText());
                    report.put(transport, key + ": broker CPU, redis CPU", burst.cpuText());
                    Measurements.requireAlive(broker, key);
                    if (n == profile.teams()) {
                        windowed(transport, n, broker, source, sink);
                    }
                }
            }
        }
    }

    /**
     * The most events/s the broker sustains in a closed loop: {@code windowEvents} sent as fast as the
     * broker and the consumer keep up, never more than {@code window} of them sent and not yet popped
     * (a burst measures how fast a backlog drains; this, what the whole path carries).
     */
    private void windowed(String transport, int n, BrokerUnderTest broker, EventSource source, EventSink sink)
            throws InterruptedException {
        Phase p = measure.phase(broker, source, sink, profile.windowEvents(), 0, profile.window());
        String key = String.format(
                Locale.ROOT,
                "RTM %d: %,d events, at most %,d not yet consumed",
                n,
                profile.windowEvents(),
                profile.window());
        report.put(transport, key + ": events/s into Redis", p.throughputText(report.rpush()));
        report.put(transport, key + ": latency p50 / p99 / max", p.burstLatencyText());
        report.put(transport, key + ": lost, duplicated", p.lossText());
        Measurements.requireAlive(broker, key);
    }

    /** Connection density: N idle RTM connections, the simulator in its own process (file limits). */
    private void density(String transport, int n) throws Exception {
        System.out.printf(Locale.ROOT, "%n== RTM density, %d teams, websocket %s ==%n", n, transport);
        redis.flush();
        try (SimulatorProcess slack = SimulatorProcess.start(n)) {
            RelaxConfig config = config(slack.baseUrl());
            registerBots(config, SimulatorProcess.tokens(n));
            long started = System.nanoTime();
            try (BrokerUnderTest broker = startBroker(transport, config)) {
                double connectSeconds;
                try {
                    connectSeconds = Measurements.awaitConnected(slack::openConnections, n, broker, started);
                } catch (IllegalStateException e) {
                    report.put(
                            transport, "RTM " + n + ": all connected (from broker start)", "failed: " + e.getMessage());
                    return;
                }
                report.put(transport, "RTM " + n + ": all connected (from broker start)", seconds(connectSeconds));
                Sample idle = measure.idle(broker);
                report.put(transport, "RTM " + n + ": broker RSS (per team)", idle.rssText(n));
                report.put(transport, "RTM " + n + ": heap after GC, threads", idle.heapThreadsText());
                report.put(transport, "RTM " + n + ": idle CPU (pings every 5 s)", percent(idle.cpuPercent()));
                report.put(transport, "RTM " + n + ": reconnects while idle", idle.reconnectsText());
                marginal.add(transport, n, idle);
            }
        }
    }

    /** Socket Mode: one app, its default 2 connections, events from many workspaces. */
    private void socketMode() throws Exception {
        int n = profile.socketModeTeams();
        System.out.printf(Locale.ROOT, "%n== Socket Mode, one app, %d workspaces ==%n", n);
        redis.flush();
        try (SlackSimulator slack = SlackSimulator.builder().recordFrames(false).start()) {
            App app = slack.app("ABENCH").appToken("xapp-1-ABENCH-bench");
            List<EventSource.Team> teams = new ArrayList<>();
            RelaxConfig config = config(slack.baseUrl());
            RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redis.port()));
            try (var c = client.connect()) {
                for (int i = 0; i < n; i++) {
                    Workspace ws = slack.workspace("TSM" + i);
                    Bot bot = app.install(ws, "xoxb-sm-" + i, "USMB" + i);
                    teams.add(
                            new EventSource.Team(ws, ws.user("USM" + i, "user" + i), ws.channel("CSM" + i, "general")));
                    c.sync()
                            .hset(
                                    config.installationsKey(),
                                    Installation.hashField(app.id(), ws.id()),
                                    RelaxJson.encodeInstallation(Installation.of(
                                            app.id(),
                                            ws.id(),
                                            bot.userId(),
                                            bot.token().reveal())));
                }
                c.sync()
                        .hset(
                                config.appsKey(),
                                app.id(),
                                RelaxJson.encodeApp(AppRegistration.socketMode(app.id(), "xapp-1-ABENCH-bench")));
            } finally {
                client.shutdown();
            }
            String transport = "nv";
            long started = System.nanoTime();
            try (BrokerUnderTest broker = BrokerUnderTest.start(brokerMode, config, RunOptions.brokerEnv(transport))) {
                double connectSeconds = Measurements.awaitConnected(app::openConnections, 2, broker, started);
                String label = "Socket Mode (" + n + " workspaces, 2 connections, nv)";
                report.single(label, "both connections up (from broker start)", seconds(connectSeconds));
                EventSource source = new EventSource(teams, true);
                try (EventSink sink = new EventSink(redis.port(), config.eventsQueue())) {
                    Phase p = measure.phase(
                            broker, source, sink, (long) profile.socketModeRate() * 10, profile.socketModeRate());
                    String key = String.format(Locale.ROOT, "latency at %,d events/s", profile.socketModeRate());
                    report.single(label, key + " p50 / p99 / p99.9 / max", p.latencyText());
                    report.single(label, key + ": lost, duplicated", p.lossText());
                    Phase burst = measure.phase(broker, source, sink, profile.socketModeBurst(), 0);
                    String b = String.format(Locale.ROOT, "burst of %,d events", profile.socketModeBurst());
                    report.single(label, b + ": events/s into Redis", burst.throughputText(report.rpush()));
                    report.single(label, b + ": lost, duplicated", burst.lossText());
                    report.single(label, b + ": broker CPU, redis CPU", burst.cpuText());
                }
            }
        }
    }

    /** The broker of {@code column}: the Go broker's binary for {@link RunOptions#GO}, else ours. */
    private BrokerUnderTest startBroker(String column, RelaxConfig config) throws IOException {
        Map<String, String> env = RunOptions.brokerEnv(column);
        return RunOptions.isGoPeer(column)
                ? BrokerUnderTest.startGoPeer(goPeer, config, env)
                : BrokerUnderTest.start(brokerMode, config, env);
    }

    /** The simulator's first {@code n} RTM workspaces, as {@link SimulatorMain} numbers them. */
    static List<EventSource.Team> rtmTeams(SlackSimulator slack, int n) {
        List<EventSource.Team> teams = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Workspace ws = SimulatorMain.team(slack, i);
            teams.add(new EventSource.Team(ws, ws.user("UB" + i, "user" + i), ws.channel("CB" + i, "general")));
        }
        return teams;
    }

    /** HSETs the bots hash (team to token) before the broker starts, so that it loads them at once. */
    private void registerBots(RelaxConfig config, Map<String, String> tokens) {
        registerBots(redis, config, tokens);
    }

    static void registerBots(RedisServer redis, RelaxConfig config, Map<String, String> tokens) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redis.port()));
        try (var c = client.connect()) {
            Map<String, String> hash = new HashMap<>();
            tokens.forEach(
                    (team, token) -> hash.put(team, RelaxJson.encodeRegistration(BotRegistration.of(team, token))));
            c.sync().hset(config.botsKey(), hash);
        } finally {
            client.shutdown();
        }
    }

    private RelaxConfig config(String slackUrl) throws IOException {
        return config(redis, slackUrl);
    }

    /** The harness's Relax keys ({@code bench_*}) on {@code redis}, the broker's HTTP port free. */
    static RelaxConfig config(RedisServer redis, String slackUrl) throws IOException {
        return RelaxConfig.builder()
                .keysWithPrefix("bench")
                .redis(RedisAddress.of("127.0.0.1", redis.port()))
                .slackHost(slackUrl)
                .port(RedisServer.freePort())
                .build();
    }
}
