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
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The runnable jar, as an operator runs it: a separate process with the Go broker's environment. */
class BrokerProcessIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Path JAR = Path.of("..", "relax-broker", "target", "relax-broker.jar");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Process launch(Map<String, String> env, Path log) throws IOException {
        assertThat(JAR)
                .as("the broker jar; build it with: ./build.sh mvn -pl relax-broker package")
                .exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", JAR.toString());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void refusesToStartWithoutTheGoBrokersVariables() throws Exception {
        Path log = Files.createTempFile("relax-broker", ".log");
        Process p = launch(Map.of("RELAX_BOTS_KEY", "k", "PATH", System.getenv().getOrDefault("PATH", "")), log);

        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(Files.readString(log))
                .contains("RELAX_BOTS_PUBSUB", "RELAX_EVENTS_QUEUE", "RELAX_MUTEX_KEY", "REDIS_URL")
                .contains("usage:");
    }

    @Test
    void refusesAMalformedRedisUrlWithoutPrintingItsPassword() throws Exception {
        Path log = Files.createTempFile("relax-broker", ".log");
        Map<String, String> env = new HashMap<>();
        env.put("RELAX_BOTS_KEY", "k");
        env.put("RELAX_BOTS_PUBSUB", "p");
        env.put("RELAX_EVENTS_QUEUE", "q");
        env.put("RELAX_MUTEX_KEY", "m");
        // A bare userinfo is the password; the database path is no number.
        env.put("REDIS_URL", "redis://hunter2S3CRET@localhost:6379/zero");
        env.put("PATH", System.getenv().getOrDefault("PATH", ""));
        Process p = launch(env, log);

        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(Files.readString(log))
                .contains("REDIS_URL has a database path that is not a number: redis://****@localhost:6379/zero")
                .doesNotContain("S3CRET");
    }

    /**
     * A client that sends a request line and then nothing (slowloris) loses its connection once the jar's
     * request deadline passes, instead of holding it for ever; other requests are served meanwhile.
     */
    @Test
    void closesAConnectionWhoseRequestNeverArrivesWhole(EmbeddedRedis redis) throws Exception {
        int port = freePort();
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("slow")
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .port(port)
                .build();
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put("RELAX_HTTP_HOST", "127.0.0.1");
        Path log = Files.createTempFile("relax-broker", ".log");
        Process p = launch(env, log);
        try (java.net.Socket slow = new java.net.Socket()) {
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> BrokerHttp.get(port, "/").statusCode() == 200);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            slow.getOutputStream()
                    .write("POST /slack/events HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            slow.setSoTimeout((int) WAIT.toMillis());
            long started = System.nanoTime();

            assertThat(BrokerHttp.get(port, "/").body()).isEqualTo("relax alive");
            int read;
            try {
                read = slow.getInputStream().read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            Duration held = Duration.ofNanos(System.nanoTime() - started);

            assertThat(read).as("the broker closed the connection").isEqualTo(-1);
            assertThat(held).isLessThan(WAIT);
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * With RELAX_MANAGEMENT_PORT, probes and scrapes are answered on their own port while clients hold every
     * connection the Slack-facing port takes (here 4, lowered with -D; 1,024 by default).
     */
    @Test
    void healthAndMetricsAnswerOnTheManagementPortWhileThePublicPortIsFull(EmbeddedRedis redis) throws Exception {
        int port = freePort();
        int management = freePort();
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("mgmt")
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .port(port)
                .build();
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put("RELAX_HTTP_HOST", "127.0.0.1");
        env.put("RELAX_MANAGEMENT_PORT", Integer.toString(management));
        env.put("JAVA_TOOL_OPTIONS", "-Djdk.httpserver.maxConnections=4");
        Path log = Files.createTempFile("relax-broker", ".log");
        Process p = launch(env, log);
        List<java.net.Socket> held = new ArrayList<>();
        try {
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> BrokerHttp.get(management, "/ready").statusCode() == 200);
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
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
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
        int port = freePort();
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
        Path log = Files.createTempFile("relax-broker", ".log");
        var r = redis.commands();
        r.hset(
                "proc_bots",
                "TPROC1",
                RelaxJson.encodeRegistration(
                        BotRegistration.of("TPROC1", bot.token().reveal())));
        Process p = launch(env, log);
        try {
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> BrokerHttp.get(port, "/ready").statusCode() == 200);
            assertThat(BrokerHttp.get(port, "/").body()).isEqualTo("relax alive");
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);

            ws.as(alice).post(general, "hello from outside");
            await().atMost(WAIT).until(() -> r.llen("proc_events") == 1);
            WireEvent e = RelaxJson.decodeEvent(r.lindex("proc_events", 0));
            assertThat(e.text()).isEqualTo("hello from outside");
            assertThat(BrokerHttp.get(port, "/ready").body()).contains("\"connected\":1");
            assertThat(MetricsPage.fetch(port).count("relax_events_out_total")).isEqualTo(1);

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            RecordedConnection socket = slack.recordings().connections("TPROC1").get(0);
            await().atMost(WAIT)
                    .until(() ->
                            !slack.recordings().connections("TPROC1").get(0).isOpen());
            assertThat(slack.recordings().connections("TPROC1").get(0).closeCode())
                    .isEqualTo(1000);
            assertThat(socket.token()).isEqualTo(bot.token());
        } finally {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(output).contains("team=TPROC1").contains("relax broker stopped");
        assertThat(output).doesNotContain("proc-secret-token");
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
        int port = freePort();
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("killed")
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .slackHost(slack.baseUrl())
                .port(port)
                .build();
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put("RELAX_CALL_CLAIM_IDLE", "2");
        Path log = Files.createTempFile("relax-broker", ".log");
        try (RelaxClient relax = RelaxClient.create(config)) {
            relax.addInstallation(
                    Installation.of("APROC2", "TPROC2", "UPROC2", bot.token().reveal()));
            Process p = launch(env, log);
            SlackCall first;
            try {
                await().atMost(WAIT)
                        .ignoreExceptions()
                        .until(() -> BrokerHttp.get(port, "/ready").statusCode() == 200);
                slack.rateLimit("chat.postMessage", Duration.ofSeconds(3));
                first = relax.postMessage("APROC2", "TPROC2", general.id(), "first");
                // Killed once it took Slack's 429 in (the hold key is set): it holds the call, and no attempt
                // is under way. Killed while its request is at Slack, the outcome of a post would be unknown,
                // and it would not be made again (CallsShutdownIT).
                String hold = config.callsKey() + ":hold:TPROC2:chat.postMessage";
                await().atMost(WAIT).until(() -> redis.commands().exists(hold) == 1);
            } finally {
                p.destroyForcibly(); // SIGKILL: nothing is handed over
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
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
