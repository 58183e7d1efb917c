/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.client.RelaxClient;
import dev.relax.client.SlackCall;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.MetricsPage;
import dev.relax.testkit.RecordedConnection;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar, as an operator runs it: a separate process with the Go broker's environment. */
class BrokerProcessIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The jar's request deadline is 8 s (Main.MAX_REQUEST_SECONDS); the rest is room for a loaded machine. */
    private static final Duration REQUEST_DEADLINE_AND_SLACK = Duration.ofSeconds(20);

    /** Where each test's broker writes; kept when the test fails. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    @Test
    void refusesToStartWithoutTheGoBrokersVariables() throws Exception {
        try (BrokerJar jar = BrokerJar.start(
                Map.of("RELAX_BOTS_KEY", "k", "PATH", System.getenv().getOrDefault("PATH", "")), logs)) {
            assertThat(jar.exitsWithin(WAIT)).isTrue();
            assertThat(jar.exitValue()).isEqualTo(1);
            assertThat(jar.output())
                    .contains("RELAX_BOTS_PUBSUB", "RELAX_EVENTS_QUEUE", "RELAX_MUTEX_KEY", "REDIS_URL")
                    .contains("usage:");
        }
    }

    @Test
    void refusesAMalformedRedisUrlWithoutPrintingItsPassword() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("RELAX_BOTS_KEY", "k");
        env.put("RELAX_BOTS_PUBSUB", "p");
        env.put("RELAX_EVENTS_QUEUE", "q");
        env.put("RELAX_MUTEX_KEY", "m");
        // A bare userinfo is the password; the database path is no number.
        env.put("REDIS_URL", "redis://hunter2S3CRET@localhost:6379/zero");
        env.put("PATH", System.getenv().getOrDefault("PATH", ""));
        try (BrokerJar jar = BrokerJar.start(env, logs)) {
            assertThat(jar.exitsWithin(WAIT)).isTrue();
            assertThat(jar.exitValue()).isEqualTo(1);
            assertThat(jar.output())
                    .contains("REDIS_URL has a database path that is not a number: redis://****@localhost:6379/zero")
                    .doesNotContain("S3CRET");
        }
    }

    /**
     * Redis Cluster runs a script only when its keys are in one slot: a jar told of a cluster whose keys do
     * not share one hash tag stops before it connects, naming each key, its tag and the fix.
     */
    @Test
    void refusesAClusterWhoseKeysShareNoHashTag() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("RELAX_BOTS_KEY", "{relax}:bots");
        env.put("RELAX_BOTS_PUBSUB", "relax:pubsub");
        env.put("RELAX_EVENTS_QUEUE", "relax:events");
        env.put("RELAX_MUTEX_KEY", "{relax}:mutex");
        env.put("REDIS_URL", "redis://127.0.0.1:7000");
        env.put("REDIS_CLUSTER", "true");
        env.put("PATH", System.getenv().getOrDefault("PATH", ""));
        try (BrokerJar jar = BrokerJar.start(env, logs)) {
            assertThat(jar.exitsWithin(WAIT)).isTrue();
            assertThat(jar.exitValue()).isEqualTo(1);
            assertThat(jar.output().lines())
                    .contains("relax: Redis Cluster keys do not share one hash slot, so Relax's scripts would fail"
                            + " with CROSSSLOT: RELAX_BOTS_KEY={relax}:bots (tag {relax}),"
                            + " RELAX_EVENTS_QUEUE=relax:events (no hash tag), RELAX_MUTEX_KEY={relax}:mutex (tag"
                            + " {relax}), RELAX_APPS_KEY={relax}:bots:apps (tag {relax}),"
                            + " RELAX_INSTALLATIONS_KEY={relax}:bots:installations (tag {relax}),"
                            + " RELAX_CALLS_KEY={relax}:bots:calls (tag {relax}). Give every key the same hash tag,"
                            + " e.g. RELAX_BOTS_KEY={relax}:bots RELAX_EVENTS_QUEUE={relax}:events"
                            + " RELAX_MUTEX_KEY={relax}:mutex (keys left unset follow RELAX_BOTS_KEY); see"
                            + " docs/operations.md, \"Redis Cluster\"");
        }
    }

    /**
     * A client that sends a request line and then nothing (slowloris) loses its connection once the jar's
     * request deadline passes, instead of holding it for ever; other requests are served meanwhile.
     */
    @Test
    void closesAConnectionWhoseRequestNeverArrivesWhole(EmbeddedRedis redis) throws Exception {
        int port = BrokerJar.freePort();
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("slow")
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .port(port)
                .build();
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put("RELAX_HTTP_HOST", "127.0.0.1");
        try (BrokerJar jar = BrokerJar.start(env, logs);
                java.net.Socket slow = new java.net.Socket()) {
            jar.awaitReady(port);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            slow.getOutputStream()
                    .write("POST /slack/events HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            slow.setSoTimeout((int) REQUEST_DEADLINE_AND_SLACK.toMillis());

            assertThat(BrokerHttp.get(port, "/").body()).isEqualTo("relax alive");
            int read;
            try {
                read = slow.getInputStream().read();
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the broker still held the connection after " + REQUEST_DEADLINE_AND_SLACK, e);
            } catch (java.net.SocketException reset) {
                read = -1;
            }

            assertThat(read).as("the broker closed the connection").isEqualTo(-1);
        }
    }

    /**
     * With RELAX_MANAGEMENT_PORT, probes and scrapes are answered on their own port while clients hold every
     * connection the Slack-facing port takes (here 4, lowered with -D; 1,024 by default).
     */
    @Test
    void healthAndMetricsAnswerOnTheManagementPortWhileThePublicPortIsFull(EmbeddedRedis redis) throws Exception {
        int port = BrokerJar.freePort();
        int management = BrokerJar.freePort();
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("mgmt")
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .port(port)
                .build();
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put("RELAX_HTTP_HOST", "127.0.0.1");
        env.put("RELAX_MANAGEMENT_PORT", Integer.toString(management));
        env.put("JAVA_TOOL_OPTIONS", "-Djdk.httpserver.maxConnections=4");
        List<java.net.Socket> held = new ArrayList<>();
        try (BrokerJar jar = BrokerJar.start(env, logs)) {
            jar.awaitReady(management);
            for (int i = 0; i < 4; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                s.getOutputStream().write("POST /slack/events HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                held.add(s);
            }
            // The public port is full: a fifth connection is closed as it is accepted.
            await().atMost(WAIT).until(() -> !answers(port));

            assertThat(BrokerHttp.get(management, "/ready").statusCode()).isEqualTo(200);
            assertThat(BrokerHttp.get(management, "/").body()).isEqualTo("relax alive");
            assertThat(MetricsPage.fetch(management).count("relax_events_out_total"))
                    .isZero();
            assertThat(BrokerHttp.get(management, "/slack/events").statusCode()).isEqualTo(404);
        } finally {
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }

    /** Whether GET / on {@code port} is answered at all. */
    private static boolean answers(int port) {
        try {
            return BrokerHttp.get(port, "/").statusCode() == 200;
        } catch (AssertionError e) {
            return false;
        }
    }

    @Test
    void servesBotsAndStopsGracefullyOnSigterm(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        Workspace ws = slack.workspace("TPROC1");
        Bot bot = ws.bot("xoxb-proc-secret-token", "UBOTPROC", "relaxbot");
        User alice = ws.user("UAPROC", "alice");
        Channel general = ws.channel("CPROC", "general");
        int port = BrokerJar.freePort();
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("proc")
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .slackHost(slack.baseUrl())
                .port(port)
                .build();
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.remove("REDIS_URL");
        env.put("REDIS_HOST", redis.host() + ":" + redis.port()); // the Go broker's README form
        env.put("RELAX_PING_INTERVAL", "0.5");
        env.put("RELAX_LOG_LEVEL", "debug");
        var r = redis.commands();
        r.hset(
                "proc_bots",
                "TPROC1",
                RelaxJson.encodeRegistration(
                        BotRegistration.of("TPROC1", bot.token().reveal())));
        try (BrokerJar jar = BrokerJar.start(env, logs)) {
            jar.awaitReady(port);
            assertThat(BrokerHttp.get(port, "/").body()).isEqualTo("relax alive");
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);

            ws.as(alice).post(general, "hello from outside");
            await().atMost(WAIT).until(() -> r.llen("proc_events") == 1);
            WireEvent e = RelaxJson.decodeEvent(r.lindex("proc_events", 0));
            assertThat(e.text()).isEqualTo("hello from outside");
            assertThat(BrokerHttp.get(port, "/ready").body()).contains("\"connected\":1");
            assertThat(MetricsPage.fetch(port).count("relax_events_out_total")).isEqualTo(1);

            jar.stop(); // SIGTERM
            assertThat(jar.exitsWithin(WAIT)).isTrue();
            RecordedConnection socket = slack.recordings().connections("TPROC1").get(0);
            await().atMost(WAIT)
                    .until(() ->
                            !slack.recordings().connections("TPROC1").get(0).isOpen());
            assertThat(slack.recordings().connections("TPROC1").get(0).closeCode())
                    .isEqualTo(1000);
            assertThat(socket.token()).isEqualTo(bot.token());
            String output = jar.output();
            assertThat(output).contains("team=TPROC1").contains("relax broker stopped");
            assertThat(output).doesNotContain("proc-secret-token");
        }
    }

    /**
     * A broker killed (SIGKILL) while it holds a call leaves the entry pending and first in its channel's
     * lane; a later call of the channel, read by another broker, must wait for it, and that broker takes
     * the first over once idle and makes both, in order and once each.
     */
    @Test
    void appCallsOfABrokerKilledMidCallAreMadeByAnotherInOrder(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = slack.workspace("TPROC2");
        Channel general = ws.channel("CPROC2", "general");
        Bot bot = slack.app("APROC2").install(ws, "xoxb-proc2-secret", "UPROC2");
        int port = BrokerJar.freePort();
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("killed")
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .slackHost(slack.baseUrl())
                .port(port)
                .build();
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put("RELAX_CALL_CLAIM_IDLE", "2");
        try (RelaxClient relax = RelaxClient.create(config)) {
            relax.addInstallation(
                    Installation.of("APROC2", "TPROC2", "UPROC2", bot.token().reveal()));
            SlackCall first;
            try (BrokerJar jar = BrokerJar.start(env, logs)) {
                jar.awaitReady(port);
                slack.rateLimit("chat.postMessage", Duration.ofSeconds(3));
                first = relax.postMessage("APROC2", "TPROC2", general.id(), "first");
                // Killed once it took Slack's 429 in (the hold key is set): it holds the call, and no attempt
                // is under way. Killed while its request is at Slack, the outcome of a post would be unknown,
                // and it would not be made again (CallsShutdownIT).
                String hold = config.callsKey() + ":hold:TPROC2:chat.postMessage";
                await().atMost(WAIT).until(() -> redis.commands().exists(hold) == 1);

                jar.kill(); // SIGKILL: nothing is handed over
                assertThat(jar.exitsWithin(WAIT)).isTrue();
            }
            SlackCall second = relax.postMessage("APROC2", "TPROC2", general.id(), "second");

            try (TestBroker survivor = TestBroker.builder(slack, redis)
                    .config(c -> c.keysWithPrefix("killed"))
                    .start()) {
                assertThat(first.result()
                                .get(WAIT.toSeconds(), TimeUnit.SECONDS)
                                .ok())
                        .isTrue();
                assertThat(second.result()
                                .get(WAIT.toSeconds(), TimeUnit.SECONDS)
                                .ok())
                        .isTrue();
                assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("first", "second");
                assertThat(slack.recordings().apiCalls("chat.postMessage"))
                        .filteredOn(ApiCall::ok)
                        .hasSize(2);
            }
        }
    }
}
