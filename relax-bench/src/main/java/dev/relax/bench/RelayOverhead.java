/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import dev.relax.core.RelaxConfig;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.StreamedMessage;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The relay scenario: the relay's own overhead, the time from a mention to the first chunk of its answer
 * in Slack minus the backend's own time to first byte, with 1, 10 and 100 questions asked at once.
 *
 * <p>The parts are those of a fleet deployment: the simulator with a Socket Mode app installed in one
 * workspace, the broker under test ({@link BrokerUnderTest}) holding the app's connections, {@code java
 * -jar relax-relay.jar} in fleet mode ({@link RelayUnderTest}) on the same Redis keys, and a loopback
 * {@link TimedBackend}. Every question of the run is a mention by a person of its own in a channel of its
 * own, so that neither the relay's one question at a time per conversation nor the broker's pace per
 * channel (one call of a method per channel per {@code RELAX_CALL_INTERVAL}, 1 s) makes one wait for
 * another: what is measured is the relay's path, not Slack's rate limits. A round ends when every answer's
 * stream is stopped. One warm-up round at the largest level comes first and is not reported (the JIT, and
 * the relay's connections to the backend).
 */
final class RelayOverhead {
    static final Duration THINK = Duration.ofMillis(100);
    static final Duration CHUNK_GAP = Duration.ofMillis(20);
    static final int CHUNKS = 5;
    private static final Duration ROUND_DEADLINE = Duration.ofSeconds(60);

    private final RedisServer redis;
    private final Profile profile;
    private final Report report;
    private final String brokerMode;
    /** Every question's asker, made before the broker starts; the next round takes the next ones. */
    private final List<Asker> askers = new ArrayList<>();

    private int nextAsker;

    RelayOverhead(RedisServer redis, Profile profile, Report report, String brokerMode) {
        this.redis = redis;
        this.profile = profile;
        this.report = report;
        this.brokerMode = brokerMode;
    }

    /** Who asks one question of a round, and where. */
    private record Asker(User user, Channel channel) {}

    /** A question asked: its channel, its ts (the answer's thread), and when it was posted. */
    private record Asked(String channel, String ts, Instant posted) {
        String key() {
            return channel + " " + ts;
        }
    }

    void run() throws Exception {
        List<Integer> levels = profile.relayConcurrency();
        int most = levels.stream().mapToInt(Integer::intValue).max().orElseThrow();
        System.out.printf(Locale.ROOT, "%n== Relay overhead, %s questions at once ==%n", levels);
        redis.flush();
        try (SlackSimulator slack = SlackSimulator.builder().recordFrames(false).start();
                TimedBackend backend = TimedBackend.start(THINK, CHUNK_GAP, CHUNKS)) {
            App app = slack.app("ARELAY").appToken("xapp-1-ARELAY-bench");
            Workspace ws = slack.workspace("TRELAY");
            Bot bot = app.install(ws, "xoxb-relay-bench", "URELAYBOT");
            int questions = most;
            for (int i = 0; i < levels.size(); i++) {
                questions += levels.get(i) * profile.relayRounds().get(i);
            }
            for (int i = 0; i < questions; i++) { // each user before its channel, so that both are members
                User user = ws.user("URQ" + i, "asker" + i);
                askers.add(new Asker(user, ws.channel("CRQ" + i, "question-" + i)));
            }
            RelaxConfig config = LoadHarness.config(redis, slack.baseUrl());
            register(config, app, ws, bot);
            long started = System.nanoTime();
            try (BrokerUnderTest broker = BrokerUnderTest.start(brokerMode, config, RunOptions.brokerEnv("auto"))) {
                Measurements.awaitConnected(app::openConnections, 2, broker, started);
                Map<String, String> env = new HashMap<>(config.toEnv());
                env.put("BACKEND_URL", backend.url().toString());
                env.put("RELAY_CONCURRENCY", Integer.toString(most));
                try (RelayUnderTest relay = RelayUnderTest.start(env)) {
                    String label = String.format(
                            Locale.ROOT,
                            "Relay overhead (relax-relay.jar in fleet mode, RELAY_CONCURRENCY=%d; backend: first"
                                    + " chunk %d ms after the request, %d chunks %d ms apart)",
                            most,
                            THINK.toMillis(),
                            CHUNKS,
                            CHUNK_GAP.toMillis());
                    round(slack, ws, bot, most, backend, relay, new OverheadSamples());
                    for (int i = 0; i < levels.size(); i++) {
                        level(
                                slack,
                                ws,
                                bot,
                                backend,
                                broker,
                                relay,
                                label,
                                levels.get(i),
                                profile.relayRounds().get(i));
                    }
                    ProcStats after = ProcStats.of(relay.pid());
                    report.single(
                            label,
                            "relay RSS, threads (after the run)",
                            String.format(Locale.ROOT, "%,d MB, %d", after.rssKb() / 1024, after.threads()));
                }
            }
        }
    }

    private void level(
            SlackSimulator slack,
            Workspace ws,
            Bot bot,
            TimedBackend backend,
            BrokerUnderTest broker,
            RelayUnderTest relay,
            String label,
            int n,
            int rounds)
            throws InterruptedException {
        OverheadSamples samples = new OverheadSamples();
        ProcStats relay0 = ProcStats.of(relay.pid());
        Map<String, Long> threads0 = ProcStats.threadTicks(relay.pid());
        long t0 = System.nanoTime();
        ProcStats broker0 = broker.pid() > 0 ? ProcStats.of(broker.pid()) : null;
        for (int r = 0; r < rounds; r++) {
            round(slack, ws, bot, n, backend, relay, samples);
        }
        ProcStats relay1 = ProcStats.of(relay.pid());
        System.out.println("  relay threads by CPU (of a core): "
                + ProcStats.topThreads(threads0, ProcStats.threadTicks(relay.pid()), System.nanoTime() - t0, 8));
        String key = String.format(Locale.ROOT, "%d at once, %d rounds (%d questions)", n, rounds, samples.count());
        report.single(label, key + ": overhead p50 / p95 / max", samples.overheadText());
        report.single(label, key + ": mention to first chunk in Slack p50 / p95 / max", samples.firstChunkText());
        report.single(label, key + ": backend's own time to first byte p50 / p95 / max", samples.backendText());
        report.single(
                label, key + ": of the overhead, mention to backend request p50 / p95 / max", samples.inboundText());
        report.single(
                label, key + ": of the overhead, backend first byte to Slack p50 / p95 / max", samples.outboundText());
        double relaySeconds = (relay1.cpuTicks() - relay0.cpuTicks()) / (double) ProcStats.TICKS_PER_SECOND;
        String brokerCpu = "n/a (in-JVM)";
        if (broker0 != null) {
            ProcStats broker1 = ProcStats.of(broker.pid());
            brokerCpu = String.format(
                    Locale.ROOT,
                    "%.2f s",
                    (broker1.cpuTicks() - broker0.cpuTicks()) / (double) ProcStats.TICKS_PER_SECOND);
        }
        report.single(
                label,
                key + ": relay CPU time (per question), broker CPU time",
                String.format(
                        Locale.ROOT,
                        "%.2f s (%.1f ms), %s",
                        relaySeconds,
                        1000 * relaySeconds / samples.count(),
                        brokerCpu));
    }

    /** Asks {@code n} questions at once, waits for every answer to end, and adds each to {@code samples}. */
    private void round(
            SlackSimulator slack,
            Workspace ws,
            Bot bot,
            int n,
            TimedBackend backend,
            RelayUnderTest relay,
            OverheadSamples samples)
            throws InterruptedException {
        List<Asked> asked = new ArrayList<>(n);
        for (Asker a : askers.subList(nextAsker, nextAsker + n)) {
            Instant posted = Instant.now();
            String ts = ws.as(a.user()).mention(bot, a.channel(), "question " + nextAsker++);
            asked.add(new Asked(a.channel().id(), ts, posted));
        }
        Set<String> waiting = new HashSet<>();
        asked.forEach(q -> waiting.add(q.key()));
        long deadline = System.nanoTime() + ROUND_DEADLINE.toNanos();
        while (!waiting.isEmpty()) {
            if (!relay.alive()) {
                throw new IllegalStateException("the relay exited mid-round (" + relay.logHint() + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT,
                        "%d of %d answers not finished within %d s (relay %s)",
                        waiting.size(),
                        asked.size(),
                        ROUND_DEADLINE.toSeconds(),
                        relay.logHint()));
            }
            Thread.sleep(20);
            for (StreamedMessage s : slack.recordings().streams()) {
                if (s.stopped()) {
                    waiting.remove(s.channel() + " " + s.threadTs());
                }
            }
        }
        Map<String, Instant> firstVisible = new HashMap<>();
        for (String method : List.of("chat.startStream", "chat.postMessage")) {
            for (ApiCall call : slack.recordings().apiCalls(method)) {
                if (call.ok()) {
                    firstVisible.merge(
                            call.arg("channel") + " " + call.arg("thread_ts"),
                            call.at(),
                            (a, b) -> a.isBefore(b) ? a : b);
                }
            }
        }
        for (Asked q : asked) {
            TimedBackend.Timing timing = backend.timing(q.channel(), q.ts())
                    .orElseThrow(() -> new IllegalStateException("the backend never saw question " + q.key()));
            samples.add(q.posted(), firstVisible.get(q.key()), timing);
        }
    }

    /** The app (Socket Mode) and its installation, in Redis before the broker starts. */
    private void register(RelaxConfig config, App app, Workspace ws, Bot bot) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redis.port()));
        try (var c = client.connect()) {
            c.sync()
                    .hset(
                            config.installationsKey(),
                            Installation.hashField(app.id(), ws.id()),
                            RelaxJson.encodeInstallation(Installation.of(
                                    app.id(), ws.id(), bot.userId(), bot.token().reveal())));
            c.sync()
                    .hset(
                            config.appsKey(),
                            app.id(),
                            RelaxJson.encodeApp(AppRegistration.socketMode(app.id(), "xapp-1-ARELAY-bench")));
        } finally {
            client.shutdown();
        }
    }
}
