/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.broker.RelaxBroker;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Command;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.MetricsPage;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TcpProxy;
import dev.relax.testkit.TestBroker;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the broker knows of Slack apps when Redis is slow, broken or away: it is ready only once it knows
 * the apps, and it forgets what it cached of installations when it may have missed a change.
 */
class AppStateAcrossRedisFaultsIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Redis as the test (playing the app) sees it, never through the proxy. */
    private static RedisClusterCommands<String, String> redis() {
        return SLACK.redis().commands();
    }

    @Test
    void anInstallationChangedWhileCommandsWereLostIsReadAgainAfterTheReconnect(
            SlackSimulator slack, EmbeddedRedis embedded) throws Exception {
        int n = IDS.incrementAndGet();
        String appId = "ARECON" + n;
        String team = "TRECON" + n;
        String secret = "reconcile-secret-" + n;
        try (TcpProxy proxy = TcpProxy.start(embedded.host(), embedded.port());
                TestBroker relax = TestBroker.builder(slack, embedded)
                        .config(c -> c.keysWithPrefix("recon" + n).redis(RedisAddress.of("127.0.0.1", proxy.port())))
                        .start()) {
            RelaxConfig config = relax.config();
            install(config, appId, team, "UOLD");
            redis().hset(config.appsKey(), appId, RelaxJson.encodeApp(AppRegistration.eventsApi(appId, secret)));
            redis().publish(config.botsPubsub(), RelaxJson.encodeCommand(new Command.AppAdded(appId)));
            await().atMost(WAIT).until(() -> postEvent(relax.broker(), appId, team, secret, "first") == 200);
            assertThat(lastEvent(config).relaxBotUid()).isEqualTo("UOLD");

            // The app reinstalls while the broker's connections to Redis are silent, then broken: the
            // installation_added it publishes never reaches the broker.
            proxy.blackhole();
            install(config, appId, team, "UNEW");
            proxy.dropConnections();
            await().atMost(WAIT).until(() -> subscribers(config) == 0);
            proxy.resume();
            await().atMost(WAIT).until(() -> subscribers(config) == 1);
            // Published after the re-subscription, so the broker handles it after the reconciliation that
            // the re-subscription queued: once it is counted, that reconciliation is done.
            long rejected = relax.metrics().count("relax_commands_rejected_total");
            redis().publish(config.botsPubsub(), "sentinel: not a command");
            await().atMost(WAIT).until(() -> relax.metrics().count("relax_commands_rejected_total") == rejected + 1);

            assertThat(postEvent(relax.broker(), appId, team, secret, "after the outage"))
                    .isEqualTo(200);
            WireEvent e = lastEvent(config);
            assertThat(e.text()).isEqualTo("after the outage");
            assertThat(e.relaxBotUid()).isEqualTo("UNEW");
        }
    }

    @Test
    void readyOnlyOnceTheAppsAreLoadedAndThenARegisteredAppIsAnswered(SlackSimulator slack, EmbeddedRedis embedded)
            throws Exception {
        int n = IDS.incrementAndGet();
        String appId = "AREADY" + n;
        String team = "TREADY" + n;
        String secret = "ready-secret-" + n;
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("ready" + n)
                .redis(RedisAddress.of(embedded.host(), embedded.port()))
                .slackHost(slack.baseUrl())
                .build();
        redis().hset(config.appsKey(), appId, RelaxJson.encodeApp(AppRegistration.eventsApi(appId, secret)));
        install(config, appId, team, "UREADY");
        // The first load of the bots hash, and with it of the apps hash, fails until an operator fixes the
        // bots key: it holds a string. This holds the first reconciliation back for as long as the test needs.
        redis().set(config.botsKey(), "not a hash");
        try (RelaxBroker broker = RelaxBroker.builder(config)
                .options(TestBroker.testOptions())
                .build()
                .start()) {
            int port = broker.httpPort();
            // Three failed loads take 700 ms of back-off: far longer than the broker takes to connect.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> ready(port) || redisErrors(port) >= 3);

            assertThat(ready(port)).as("/ready while the apps are unknown").isFalse();
            assertThat(broker.isReady()).isFalse();
            // 503, which Slack retries, rather than 401 unknown_app, which it does not retry for a slash command.
            assertThat(postEvent(broker, appId, team, secret, "too early")).isEqualTo(503);

            redis().del(config.botsKey());
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> ready(port));
            // From the first moment it says it is ready, it answers the app it was started with.
            assertThat(postEvent(broker, appId, team, secret, "right after ready"))
                    .isEqualTo(200);
            assertThat(lastEvent(config).relaxBotUid()).isEqualTo("UREADY");
        }
    }

    private static long redisErrors(int port) {
        return MetricsPage.fetch(port).count("relax_redis_errors_total");
    }

    private void install(RelaxConfig config, String appId, String team, String botUser) {
        Installation i = Installation.of(appId, team, botUser, "xoxb-" + team + "-" + botUser);
        redis().hset(config.installationsKey(), i.hashField(), RelaxJson.encodeInstallation(i));
        redis().publish(config.botsPubsub(), RelaxJson.encodeCommand(new Command.InstallationAdded(appId, team)));
    }

    private long subscribers(RelaxConfig config) {
        return redis().pubsubNumsub(config.botsPubsub()).getOrDefault(config.botsPubsub(), 0L);
    }

    private WireEvent lastEvent(RelaxConfig config) {
        String raw = redis().lindex(config.eventsQueue(), -1);
        assertThat(raw).as("an event on the queue").isNotNull();
        return RelaxJson.decodeEvent(raw);
    }

    private static boolean ready(int port) throws Exception {
        return HTTP.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                == 200;
    }

    /** Posts a signed message event_callback without authorizations (so the installation names the bot). */
    private static int postEvent(RelaxBroker broker, String appId, String team, String secret, String text)
            throws Exception {
        int n = IDS.incrementAndGet();
        ObjectNode body = JSON.createObjectNode();
        body.put("team_id", team);
        body.put("api_app_id", appId);
        ObjectNode event = body.putObject("event");
        event.put("type", "message");
        event.put("channel", "C" + team);
        event.put("user", "U" + team);
        event.put("text", text);
        event.put("ts", String.format("1700000000.%06d", n));
        body.put("type", "event_callback");
        body.put("event_id", "Ev" + n);
        return SlackRequests.postSigned(broker.httpPort(), "/slack/events", body.toString(), secret)
                .statusCode();
    }
}
