/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.relax.core.RedisAddress;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.ConnectionCount;
import dev.relax.testkit.DisconnectReason;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.RecordedConnection;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TcpProxy;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limits a fleet keeps on an app's Socket Mode connections whatever happens: never two brokers on
 * one slot, even while one of them cannot reach Redis; never more than Slack's 10 sockets per app, even
 * while sockets are refreshed (https://api.slack.com/apis/connections/socket-implement#connections).
 * The simulator records every open and close of an app's sockets ({@code connectionHistory}), so the
 * maxima below are exact, not sampled.
 */
class SocketModeLeasesIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK = SlackSimulatorExtension.create()
            .withRedis()
            .configure(s -> s.ackTimeout(Duration.ofMillis(700)).maxRetries(40).closeGrace(Duration.ofMillis(300)));

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Well below the broker's Redis command timeout (5 s), so that a hung command outlasts a lease. */
    private static final Duration LEASE_TTL = Duration.ofSeconds(2);

    private record Setup(String id, App app, String appToken, Workspace ws, Bot bot) {}

    private static Setup setup(SlackSimulator slack) {
        String id = "SL" + RUNS.incrementAndGet();
        String appToken = "xapp-1-A" + id + "-secret";
        App app = slack.app("A" + id).appToken(appToken);
        Workspace ws = slack.workspace("T" + id);
        Bot bot = app.install(ws, "xoxb-" + id, "UB" + id);
        return new Setup(id, app, appToken, ws, bot);
    }

    private static TestBroker broker(SlackSimulator slack, EmbeddedRedis redis, Setup s, RedisAddress address) {
        return TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix(redis.keyPrefix("sl" + s.id())).redis(address))
                .options(o -> o.appLeaseTtl(LEASE_TTL).shutdownTimeout(Duration.ofSeconds(1)))
                .start();
    }

    private static TestBroker broker(SlackSimulator slack, EmbeddedRedis redis, Setup s) {
        return broker(slack, redis, s, redis.address());
    }

    private static void register(TestBroker broker, Setup s, int connections) {
        broker.addInstallation(s.app().id(), s.bot());
        broker.client()
                .registerApp(
                        AppRegistration.socketMode(s.app().id(), s.appToken()).withConnections(connections));
    }

    /** The app's apps.connections.open calls (other tests' apps share the simulator). */
    private static List<ApiCall> opens(SlackSimulator slack, Setup s) {
        return slack.recordings().apiCalls("apps.connections.open").stream()
                .filter(c -> c.token().reveal().equals(s.appToken()))
                .toList();
    }

    private static long successfulOpens(SlackSimulator slack, Setup s) {
        return opens(slack, s).stream().filter(ApiCall::ok).count();
    }

    @Test
    void aBrokerCutOffFromRedisClosesItsSocketBeforeItsLeaseCanLapseAndAnotherTakesTheSlot(
            SlackSimulator slack, EmbeddedRedis redis) {
        assumeFalse(redis.isCluster(), "the proxy stands for one server; a cluster client reaches each node itself");
        Setup s = setup(slack);
        TcpProxy proxy = TcpProxy.start(redis.host(), redis.port());
        TestBroker a = null;
        TestBroker b = null;
        try {
            a = broker(slack, redis, s, RedisAddress.of("127.0.0.1", proxy.port()));
            register(a, s, 1);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 1);
            b = broker(slack, redis, s);
            TestBroker first = a;
            TestBroker second = b;
            // B has joined the registry, so it takes the slot as soon as A's lease is gone.
            await().atMost(WAIT)
                    .until(() -> second.redis().zcard(second.config().appsKey() + ":brokers") == 2);

            // Every Redis command of A now hangs until it times out (5 s); its lease lapses after 2 s.
            proxy.blackhole();

            await().atMost(WAIT)
                    .until(() -> slack.recordings().connections(s.app().id()).size() == 2
                            && s.app().openConnections() == 1
                            && second.metrics().count("relax_socket_mode_connections") == 1);
            // The simulator never closes a socket by itself here: A closed its own, and says so.
            List<RecordedConnection> connections =
                    slack.recordings().connections(s.app().id());
            assertThat(connections.get(0).isOpen()).isFalse();
            assertThat(connections.get(1).isOpen()).isTrue();
            assertThat(first.metrics().count("relax_socket_mode_connections")).isZero();
            assertThat(slack.recordings().maxOpenConnections(s.app().id()))
                    .as("A and B never held the slot at once: "
                            + slack.recordings().connectionHistory(s.app().id()))
                    .isEqualTo(1);
        } finally {
            proxy.resume(); // A's held commands reach Redis, and A can shut down
            if (b != null) {
                b.close();
            }
            if (a != null) {
                a.close();
            }
            proxy.close();
        }
    }

    @Test
    void aWarningToTenConnectionsOnTwoBrokersReplacesEachSocketWithoutAnEleventh(
            SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        try (TestBroker a = broker(slack, redis, s);
                TestBroker b = broker(slack, redis, s)) {
            register(a, s, 10);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 10);
            await().atMost(WAIT)
                    .until(() -> a.metrics().count("relax_socket_mode_connections") > 0
                            && b.metrics().count("relax_socket_mode_connections") > 0);
            long opened = successfulOpens(slack, s);
            int before = slack.recordings().connections(s.app().id()).size();

            // Slack keeps a warned socket open: a replacement opened first would be the app's 11th.
            s.app().disconnect(DisconnectReason.WARNING);

            await().atMost(WAIT)
                    .until(() ->
                            successfulOpens(slack, s) >= opened + 10 && s.app().openConnections() == 10);
            await().during(Duration.ofMillis(500))
                    .atMost(WAIT)
                    .until(() -> s.app().openConnections() == 10);
            assertThat(opens(slack, s))
                    .as("never refused for too many websockets")
                    .noneMatch(c -> c.error().equals("too_many_websockets"));
            assertThat(successfulOpens(slack, s)).isEqualTo(opened + 10);
            assertThat(slack.recordings().maxOpenConnections(s.app().id())).isEqualTo(10);
            List<RecordedConnection> connections =
                    slack.recordings().connections(s.app().id());
            assertThat(connections).hasSize(before + 10);
            // Slack leaves a warned socket open: the brokers closed every one of them.
            assertThat(connections.subList(0, before)).noneMatch(RecordedConnection::isOpen);
            assertThat(connections.subList(before, before + 10)).allMatch(RecordedConnection::isOpen);
        }
    }

    @Test
    void aRefreshOfNineConnectionsOverlapsOnlyWhereASpareSlotBelowTenIsFree(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        try (TestBroker broker = broker(slack, redis, s)) {
            register(broker, s, 9);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 9);
            long opened = successfulOpens(slack, s);
            int historyBefore =
                    slack.recordings().connectionHistory(s.app().id()).size();

            s.app().disconnect(DisconnectReason.REFRESH_REQUESTED);

            await().atMost(WAIT)
                    .until(() ->
                            successfulOpens(slack, s) >= opened + 9 && s.app().openConnections() == 9);
            await().during(Duration.ofMillis(500))
                    .atMost(WAIT)
                    .until(() -> s.app().openConnections() == 9);
            assertThat(opens(slack, s)).noneMatch(c -> c.error().equals("too_many_websockets"));
            assertThat(successfulOpens(slack, s)).isEqualTo(opened + 9);
            List<ConnectionCount> during = slack
                    .recordings()
                    .connectionHistory(s.app().id())
                    .stream()
                    .skip(historyBefore)
                    .toList();
            assertThat(during).isNotEmpty().allMatch(c -> c.count() <= 10);
            // Leases of spare slots are given back once the sockets they covered closed.
            await().atMost(WAIT)
                    .until(() -> broker.redis()
                                    .keys(broker.config().appsKey() + ":lease:*")
                                    .size()
                            == 9);
        }
    }
}
