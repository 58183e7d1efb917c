package dev.relax.bench;

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
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end load harness: the Slack simulator plays the workspaces (RTM) or an app (Socket Mode),
 * the broker (its jar in a separate process by default) writes their events to a real {@code
 * redis-server}, and a consumer pops them. Prints, and writes as Markdown, a table per websocket layer.
 *
 * <pre>
 *   ./build.sh bench                        the standard profile (2 cores: about 8 minutes)
 *   ./build.sh bench --profile quick        a smoke run (about a minute)
 *   ./build.sh bench --broker jvm           the broker in the harness's JVM
 *   ./build.sh bench --transports jdk       one websocket layer only
 *   ./build.sh bench --only rtm,density     some scenarios only (rtm, density, socket-mode)
 *   ./build.sh bench --densities 10000      other connection counts for the density scenario
 *   ./build.sh bench --transports jdk,jdk:RELAX_WRITE_LINGER=0
 *                                           an A/B in one run: a column per broker setting
 *   ./build.sh bench --update-docs          also replaces the table in docs/performance.md
 * </pre>
 */
public final class LoadHarness {
    private static final Duration CONNECT_DEADLINE = Duration.ofSeconds(60);

    private final Profile profile;
    private final String brokerMode;
    private final RedisServer redis;
    private final Report report;

    private LoadHarness(Profile profile, String brokerMode, RedisServer redis, Report report) {
        this.profile = profile;
        this.brokerMode = brokerMode;
        this.redis = redis;
        this.report = report;
    }

    /** What a run measures. */
    record Profile(
            String name,
            int teams,
            List<Integer> rates,
            Duration rateDuration,
            int burst,
            int bigTeams,
            List<Integer> bigRates,
            int bigBurst,
            List<Integer> densities,
            Duration idleWindow,
            int socketModeTeams,
            int socketModeRate,
            int socketModeBurst) {
        static Profile named(String name) {
            return switch (name) {
                case "standard" ->
                    new Profile(
                            name,
                            1_000,
                            List.of(5_000, 10_000),
                            Duration.ofSeconds(10),
                            200_000,
                            5_000,
                            List.of(5_000),
                            100_000,
                            List.of(10_000),
                            Duration.ofSeconds(10),
                            100,
                            2_000,
                            50_000);
                case "quick" ->
                    new Profile(
                            name,
                            200,
                            List.of(2_000),
                            Duration.ofSeconds(5),
                            20_000,
                            500,
                            List.of(2_000),
                            10_000,
                            List.of(1_000),
                            Duration.ofSeconds(5),
                            20,
                            500,
                            5_000);
                default -> throw new IllegalArgumentException("unknown profile '" + name + "': standard or quick");
            };
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Profile named = Profile.named(opts.getOrDefault("profile", "standard"));
        Profile profile = !opts.containsKey("densities")
                ? named
                : new Profile(
                        named.name() + " (densities " + opts.get("densities") + ")",
                        named.teams(),
                        named.rates(),
                        named.rateDuration(),
                        named.burst(),
                        named.bigTeams(),
                        named.bigRates(),
                        named.bigBurst(),
                        java.util.Arrays.stream(opts.get("densities").split(","))
                                .map(String::trim)
                                .map(Integer::valueOf)
                                .toList(),
                        named.idleWindow(),
                        named.socketModeTeams(),
                        named.socketModeRate(),
                        named.socketModeBurst());
        String brokerMode = opts.getOrDefault("broker", "process");
        List<String> transports =
                List.of(opts.getOrDefault("transports", "nv,jdk").split(","));
        Path out = Path.of(opts.getOrDefault("out", "relax-bench/target/bench-report.md"));
        // Ctrl-C or a failure must not leave redis-server, a broker or a simulator process behind.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        int status = 0;
        try (RedisServer redis = RedisServer.start()) {
            Report report = new Report(transports);
            report.header(machine(redis, profile, brokerMode));
            System.out.println("redis: " + redis.description() + " on port " + redis.port());
            var rpush = redis.rpushRate(200_000);
            String rpushText =
                    rpush.map(r -> String.format(Locale.ROOT, "%,.0f/s", r)).orElse("n/a (no redis-benchmark)");
            System.out.println("redis-benchmark -t rpush -P 1 -n 200000: " + rpushText);
            report.note("`redis-benchmark -t rpush -P 1 -n 200000 -q` on the same redis-server in the same run: **"
                    + rpushText + "**");
            report.rpush(rpush.orElse(Double.NaN));

            LoadHarness harness = new LoadHarness(profile, brokerMode, redis, report);
            List<String> only =
                    List.of(opts.getOrDefault("only", "rtm,density,socket-mode").split(","));
            if (only.contains("rtm")) {
                for (String transport : transports) {
                    harness.guarded(
                            "RTM " + profile.teams() + ", " + transport,
                            () -> harness.rtm(transport.trim(), profile.teams(), profile.rates(), profile.burst()));
                    harness.guarded(
                            "RTM " + profile.bigTeams() + ", " + transport,
                            () -> harness.rtm(
                                    transport.trim(), profile.bigTeams(), profile.bigRates(), profile.bigBurst()));
                }
            }
            if (only.contains("density")) {
                for (String transport : transports) {
                    for (int n : profile.densities()) {
                        harness.guarded("density " + n + ", " + transport, () -> harness.density(transport.trim(), n));
                    }
                    harness.marginal(transport.trim());
                }
            }
            if (only.contains("socket-mode")) {
                harness.guarded("Socket Mode", harness::socketMode);
            }
            status = harness.failures == 0 ? 0 : 1;

            String table = report.markdown();
            System.out.println();
            System.out.println(table);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, table);
            System.out.println("written to " + out);
            if (opts.containsKey("update-docs")) {
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
    /** Density figures by transport: teams to {rss kB, heap bytes, threads}, for the marginal cost. */
    private final Map<String, java.util.TreeMap<Integer, double[]>> densityFigures = new HashMap<>();

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
     * The cost of one more connection, from the two largest density runs: (RSS, heap, threads at the
     * larger) minus (at the smaller), divided by the teams between them. Unlike RSS / teams, this leaves
     * out the JVM's fixed footprint.
     */
    private void marginal(String transport) {
        var figures = densityFigures.getOrDefault(transport, new java.util.TreeMap<>());
        if (figures.size() < 2) {
            return;
        }
        var high = figures.lastEntry();
        var low = figures.lowerEntry(high.getKey());
        int teams = high.getKey() - low.getKey();
        report.put(
                transport,
                String.format(
                        Locale.ROOT,
                        "RTM %,d → %,d: per added connection: RSS, heap, threads",
                        low.getKey(),
                        high.getKey()),
                String.format(
                        Locale.ROOT,
                        "%.1f KB, %.1f KB, %.2f",
                        (high.getValue()[0] - low.getValue()[0]) / teams,
                        (high.getValue()[1] - low.getValue()[1]) / 1024 / teams,
                        (high.getValue()[2] - low.getValue()[2]) / teams));
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
            try (BrokerUnderTest broker = BrokerUnderTest.start(brokerMode, config, env(transport))) {
                double connectSeconds = awaitConnected(() -> open(teams), n, broker, started);
                report.put(transport, "RTM " + n + ": all connected (from broker start)", seconds(connectSeconds));
                Sample idle = idle(broker);
                report.put(transport, "RTM " + n + ": broker RSS (per team)", idle.rssText(n));
                report.put(transport, "RTM " + n + ": heap after GC, threads", idle.heapThreadsText());
                report.put(transport, "RTM " + n + ": idle CPU (pings every 5 s)", percent(idle.cpuPercent()));
                densityFigures
                        .computeIfAbsent(transport, t -> new java.util.TreeMap<>())
                        .put(n, new double[] {idle.rssKb(), idle.heapBytes(), idle.threads()});

                EventSource source = new EventSource(teams, false);
                try (EventSink sink = new EventSink(redis.port(), config.eventsQueue())) {
                    // Warm-up, not reported: the JIT compiles the hot path (C2 alone took 30-45% of a core in
                    // the first seconds of load), as it has long since in a broker that has run for a day.
                    phase(broker, source, sink, burstSize / 2, 0);
                    int first = rates.get(0);
                    phase(broker, source, sink, first * 5L, first);
                    for (int rate : rates) {
                        Phase p = phase(
                                broker,
                                source,
                                sink,
                                (long) rate * profile.rateDuration().toSeconds(),
                                rate);
                        String key = String.format(Locale.ROOT, "RTM %d: latency at %,d events/s", n, rate);
                        report.put(transport, key + " p50 / p99 / p99.9", p.latencyText());
                        report.put(transport, key + ": broker CPU, redis CPU", p.cpuText());
                        report.put(transport, key + ": lost, duplicated", p.lossText());
                    }
                    Phase burst = phase(broker, source, sink, burstSize, 0);
                    String key = String.format(Locale.ROOT, "RTM %d: burst of %,d events", n, burstSize);
                    report.put(transport, key + ": events/s into Redis", burst.throughputText(report.rpush()));
                    report.put(
                            transport,
                            key + ": lost, duplicated, reconnects",
                            burst.lossText() + ", " + burst.reconnects());
                    report.put(transport, key + ": latency p50 / p99 / max", burst.burstLatencyText());
                    report.put(transport, key + ": broker CPU, redis CPU", burst.cpuText());
                }
            }
        }
    }

    /** Connection density: N idle RTM connections, the simulator in its own process (file limits). */
    private void density(String transport, int n) throws Exception {
        System.out.printf(Locale.ROOT, "%n== RTM density, %d teams, websocket %s ==%n", n, transport);
        redis.flush();
        try (SimulatorProcess slack = SimulatorProcess.start(n)) {
            RelaxConfig config = config(slack.baseUrl());
            registerBots(config, SimulatorProcess.tokens(n));
            long started = System.nanoTime();
            try (BrokerUnderTest broker = BrokerUnderTest.start(brokerMode, config, env(transport))) {
                double connectSeconds;
                try {
                    connectSeconds = awaitConnected(slack::openConnections, n, broker, started);
                } catch (IllegalStateException e) {
                    report.put(
                            transport, "RTM " + n + ": all connected (from broker start)", "failed: " + e.getMessage());
                    return;
                }
                report.put(transport, "RTM " + n + ": all connected (from broker start)", seconds(connectSeconds));
                Sample idle = idle(broker);
                report.put(transport, "RTM " + n + ": broker RSS (per team)", idle.rssText(n));
                report.put(transport, "RTM " + n + ": heap after GC, threads", idle.heapThreadsText());
                report.put(transport, "RTM " + n + ": idle CPU (pings every 5 s)", percent(idle.cpuPercent()));
                report.put(transport, "RTM " + n + ": reconnects while idle", Long.toString(idle.reconnects()));
                densityFigures
                        .computeIfAbsent(transport, t -> new java.util.TreeMap<>())
                        .put(n, new double[] {idle.rssKb(), idle.heapBytes(), idle.threads()});
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
            try (BrokerUnderTest broker = BrokerUnderTest.start(brokerMode, config, env(transport))) {
                double connectSeconds = awaitConnected(app::openConnections, 2, broker, started);
                String label = "Socket Mode (" + n + " workspaces, 2 connections, nv)";
                report.single(label, "both connections up (from broker start)", seconds(connectSeconds));
                EventSource source = new EventSource(teams, true);
                try (EventSink sink = new EventSink(redis.port(), config.eventsQueue())) {
                    phase(broker, source, sink, profile.socketModeBurst() / 10, 0);
                    Phase p =
                            phase(broker, source, sink, (long) profile.socketModeRate() * 10, profile.socketModeRate());
                    String key = String.format(Locale.ROOT, "latency at %,d events/s", profile.socketModeRate());
                    report.single(label, key + " p50 / p99 / p99.9", p.latencyText());
                    report.single(label, key + ": lost, duplicated", p.lossText());
                    Phase burst = phase(broker, source, sink, profile.socketModeBurst(), 0);
                    String b = String.format(Locale.ROOT, "burst of %,d events", profile.socketModeBurst());
                    report.single(label, b + ": events/s into Redis", burst.throughputText(report.rpush()));
                    report.single(label, b + ": lost, duplicated", burst.lossText());
                    report.single(label, b + ": broker CPU, redis CPU", burst.cpuText());
                }
            }
        }
    }

    private Sample idle(BrokerUnderTest broker) throws InterruptedException {
        Thread.sleep(10_000); // let the connect storm's JIT compilation, garbage and threads settle
        long pid = broker.pid();
        ProcStats before = pid > 0 ? ProcStats.of(pid) : null;
        double reconnects0 = broker.metricSum("relax_reconnects_total");
        Map<String, Long> threads0 = pid > 0 ? ProcStats.threadTicks(pid) : Map.of();
        long t0 = System.nanoTime();
        Thread.sleep(profile.idleWindow().toMillis());
        long elapsed = System.nanoTime() - t0;
        if (pid > 0) {
            System.out.println("  idle broker threads by CPU (of a core): "
                    + ProcStats.topThreads(threads0, ProcStats.threadTicks(pid), elapsed, 8));
        }
        ProcStats after = pid > 0 ? ProcStats.of(pid) : null;
        long reconnects = (long) (broker.metricSum("relax_reconnects_total") - reconnects0);
        broker.gc();
        Thread.sleep(500);
        double heap = broker.metricSum("relax_jvm_heap_used_bytes");
        double threads = broker.metricSum("relax_jvm_threads");
        Sample s = new Sample(
                after == null ? -1 : after.rssKb(),
                heap,
                after == null ? (long) threads : after.threads(),
                after == null ? Double.NaN : after.cpuPercentSince(before, elapsed),
                reconnects);
        System.out.println("idle: " + s);
        return s;
    }

    /** Sends {@code count} events at {@code rate} (0: at once) and waits until every one arrived or stopped coming. */
    private Phase phase(BrokerUnderTest broker, EventSource source, EventSink sink, long count, int rate)
            throws InterruptedException {
        long from = source.nextSeq();
        sink.startPhase(from);
        long dups0 = sink.duplicates();
        double reconnects0 = broker.metricSum("relax_reconnects_total");
        double out0 = broker.metricSum("relax_events_out_total");
        long pid = broker.pid();
        OptionalLong redisPid = redis.pid();
        ProcStats b0 = pid > 0 ? ProcStats.of(pid) : null;
        ProcStats r0 = redisPid.isPresent() ? ProcStats.of(redisPid.getAsLong()) : null;
        Map<String, Long> threads0 = pid > 0 ? ProcStats.threadTicks(pid) : Map.of();
        long t0 = System.nanoTime();
        long sendNanos = source.send(count, rate);
        long to = source.nextSeq();
        sink.endPhase(to);
        // Wait for the broker to have pushed them all (its own counter), noting when it did.
        // Polled every 100 ms: often enough for a throughput over seconds, rarely enough not to load the broker.
        long doneAt = -1;
        long lastProgress = System.nanoTime();
        double lastOut = out0;
        while (System.nanoTime() - lastProgress < Duration.ofSeconds(15).toNanos()) {
            double out = broker.metricSum("relax_events_out_total");
            if (out - out0 >= count) {
                doneAt = System.nanoTime();
                break;
            }
            if (out > lastOut) {
                lastOut = out;
                lastProgress = System.nanoTime();
            }
            Thread.sleep(100);
        }
        // When not all were pushed, the rate is over the time until the last progress, not the stall after.
        long pushedAt = doneAt > 0 ? doneAt : lastProgress;
        ProcStats b1 = pid > 0 ? ProcStats.of(pid) : null;
        ProcStats r1 = redisPid.isPresent() ? ProcStats.of(redisPid.getAsLong()) : null;
        if (pid > 0) {
            System.out.println("  broker threads by CPU (of a core): "
                    + ProcStats.topThreads(threads0, ProcStats.threadTicks(pid), pushedAt - t0, 8));
        }
        // Then for the sink to have popped them.
        long sinkDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sink.receivedIn(from, to) < count && System.nanoTime() < sinkDeadline) {
            Thread.sleep(20);
        }
        Histogram h = sink.takeHistogram();
        double pushed = broker.metricSum("relax_events_out_total") - out0;
        Phase p = new Phase(
                count,
                rate,
                sendNanos,
                pushedAt - t0,
                (long) pushed,
                count - sink.receivedIn(from, to),
                sink.duplicates() - dups0,
                (long) (broker.metricSum("relax_reconnects_total") - reconnects0),
                h,
                b0 == null ? Double.NaN : b1.cpuPercentSince(b0, pushedAt - t0),
                r0 == null ? Double.NaN : r1.cpuPercentSince(r0, pushedAt - t0));
        System.out.println("phase: " + p);
        return p;
    }

    /**
     * Seconds from {@code startedNanos} until {@code open} reaches {@code n}; fails with how many were up
     * when the deadline passed or the broker's process ended.
     */
    private static double awaitConnected(IntSupplier open, int n, BrokerUnderTest broker, long startedNanos)
            throws InterruptedException {
        long deadline = startedNanos + CONNECT_DEADLINE.toNanos();
        int up;
        while ((up = open.getAsInt()) < n) {
            if (!broker.alive()) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT, "%,d of %,d connected, then the broker exited (%s)", up, n, broker.logHint()));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT, "%,d of %,d connected after %d s", up, n, CONNECT_DEADLINE.toSeconds()));
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static int open(List<EventSource.Team> teams) {
        int open = 0;
        for (EventSource.Team t : teams) {
            open += t.workspace().openConnections();
        }
        return open;
    }

    private static List<EventSource.Team> rtmTeams(SlackSimulator slack, int n) {
        List<EventSource.Team> teams = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Workspace ws = SimulatorMain.team(slack, i);
            teams.add(new EventSource.Team(ws, ws.user("UB" + i, "user" + i), ws.channel("CB" + i, "general")));
        }
        return teams;
    }

    /** HSETs the bots hash (team to token) before the broker starts, so that it loads them at once. */
    private void registerBots(RelaxConfig config, Map<String, String> tokens) {
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
        return RelaxConfig.builder()
                .keysWithPrefix("bench")
                .redis(RedisAddress.of("127.0.0.1", redis.port()))
                .slackHost(slackUrl)
                .port(RedisServer.freePort())
                .build();
    }

    /** No connect throttling (as the Go broker had none), quiet logs, the websocket layer under test. */
    /**
     * A column is a websocket library, optionally with broker variables for an A/B in one run:
     * {@code jdk:RELAX_WRITE_LINGER=0+RELAX_PING_INTERVAL=10}.
     */
    private static Map<String, String> env(String column) {
        String[] parts = column.split(":", 2);
        Map<String, String> env = new HashMap<>();
        env.put("RELAX_WEBSOCKET", parts[0]);
        env.put("RELAX_START_JITTER", "0");
        env.put("RELAX_LOGIN_CONCURRENCY", "512");
        env.put("RELAX_LOG_LEVEL", "warn");
        if (parts.length > 1) {
            for (String pair : parts[1].split("\\+")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + pair + "' in column '" + column + "' is not NAME=value");
                }
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return env;
    }

    private static String machine(RedisServer redis, Profile profile, String brokerMode) {
        Runtime rt = Runtime.getRuntime();
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("?");
        } catch (IOException ignored) {
            // not Linux
        }
        return String.format(
                Locale.ROOT,
                "%s, profile `%s`: %d cores (%s), JDK %s, %s, broker %s with its default JVM settings,"
                        + " `RELAX_LOGIN_CONCURRENCY=512 RELAX_START_JITTER=0` (no connect throttling), loopback"
                        + " only. Connect times include the broker JVM's start.",
                LocalDate.now(),
                profile.name(),
                rt.availableProcessors(),
                cpu,
                Runtime.version(),
                redis.description(),
                brokerMode.equals("jvm")
                        ? "in the harness's JVM"
                        : "as a separate process (`java -jar relax-broker.jar`)");
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            if (name.equals("update-docs")) {
                out.put(name, "true");
            } else if (i + 1 < args.length) {
                out.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return out;
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    static String percent(double p) {
        return Double.isNaN(p) ? "n/a" : String.format(Locale.ROOT, "%.1f%% of a core", p);
    }

    /** A broker at rest. */
    record Sample(long rssKb, double heapBytes, long threads, double cpuPercent, long reconnects) {
        String rssText(int teams) {
            if (rssKb < 0) {
                return "n/a (in-JVM)";
            }
            return String.format(Locale.ROOT, "%,d MB (%.1f KB)", rssKb / 1024, rssKb / (double) teams);
        }

        String heapThreadsText() {
            return String.format(Locale.ROOT, "%,.0f MB, %d", heapBytes / 1048576.0, threads);
        }
    }

    /** One load phase. */
    record Phase(
            long count,
            int rate,
            long sendNanos,
            long pushNanos,
            long pushed,
            long lost,
            long duplicated,
            long reconnects,
            Histogram latency,
            double brokerCpu,
            double redisCpu) {
        /** p50 / p99 / p99.9. */
        String latencyText() {
            return latencyText(latency.getValueAtPercentile(99.9));
        }

        /** p50 / p99 / max: a burst's tail is its backlog, and the max says how long it took to drain. */
        String burstLatencyText() {
            return latencyText(latency.getMaxValue());
        }

        private String latencyText(long third) {
            return ms(latency.getValueAtPercentile(50)) + " / " + ms(latency.getValueAtPercentile(99)) + " / "
                    + ms(third);
        }

        String throughputText(double rpush) {
            double rate = pushed / (pushNanos / 1e9);
            String incomplete =
                    pushed < count ? String.format(Locale.ROOT, " (incomplete: %,d of %,d pushed)", pushed, count) : "";
            double sent = count / (sendNanos / 1e9);
            String fraction = Double.isNaN(rpush) ? "" : String.format(Locale.ROOT, ", %.2f of RPUSH", rate / rpush);
            return String.format(
                    Locale.ROOT, "%,.0f/s%s%s (simulator queued %,.0f/s)", rate, fraction, incomplete, sent);
        }

        String cpuText() {
            return percent(brokerCpu) + ", "
                    + (Double.isNaN(redisCpu) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", redisCpu));
        }

        String lossText() {
            return lost + ", " + duplicated;
        }

        private static String ms(long micros) {
            return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%,d events at %s: sent in %.2f s, pushed in %.2f s (%,d), lost %d, dup %d, reconnects %d, latency %s, max %.2f ms, cpu broker %.1f%% redis %.1f%%",
                    count,
                    rate == 0 ? "max" : rate + "/s",
                    sendNanos / 1e9,
                    pushNanos / 1e9,
                    pushed,
                    lost,
                    duplicated,
                    reconnects,
                    latencyText(),
                    latency.getMaxValue() / 1000.0,
                    brokerCpu,
                    redisCpu);
        }
    }
}
