/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.broker.BrokerOptions;
import dev.relax.core.event.WireEvent;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.EnvelopeRecord;
import dev.relax.testkit.MetricsPage;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviours that depend on the websocket layer (frames both ways, pings and pongs, closes and drops,
 * Socket Mode acks) on every library, chosen outright ({@code RELAX_WEBSOCKET=nv|jdk|netty}). The rest of the
 * suite runs on the default: Netty for RTM, nv-websocket-client for Socket Mode.
 */
class WebSocketLayerIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final AtomicInteger TEAMS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private record Team(Workspace ws, Bot bot, User alice, Channel general) {}

    private static Team team(SlackSimulator slack) {
        String id = "TWSL" + TEAMS.incrementAndGet();
        Workspace ws = slack.workspace(id);
        return new Team(
                ws,
                ws.bot("xoxb-" + id + "-token", "UBOT" + id, "relaxbot"),
                ws.user("UA" + id, "alice"),
                ws.channel("C" + id, "general"));
    }

    private static TestBroker broker(
            SlackSimulator slack, EmbeddedRedis redis, String prefix, BrokerOptions.WebSocketLibrary library) {
        BrokerOptions options = TestBroker.testOptions()
                .mutate()
                .websocket(library)
                .appLeaseTtl(Duration.ofSeconds(2))
                .build();
        return TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix(prefix))
                .options(options)
                .start();
    }

    private static long logins(SlackSimulator slack, Bot bot) {
        return slack.recordings().apiCalls("rtm.connect").stream()
                .filter(c -> c.token().equals(bot.token()))
                .count();
    }

    @ParameterizedTest
    @EnumSource(names = {"NV", "JDK", "NETTY"})
    void eventsArriveAndMessagesGoOut(
            BrokerOptions.WebSocketLibrary library, SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = broker(slack, redis, "wsl1" + library, library)) {
            relax.register(t.bot());
            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);

            String longText = "long ".repeat(20_000); // 100 KB: more than one frame's worth of buffer
            t.ws().as(t.alice()).post(t.general(), "hello");
            t.ws().as(t.alice()).post(t.general(), longText);
            relax.client().sendMessage(t.ws().id(), t.general().id(), "answer");

            await().atMost(WAIT).until(() -> relax.events().size() == 2);
            assertThat(relax.events()).extracting(WireEvent::text).containsExactly("hello", longText);
            await().atMost(WAIT).until(() -> t.ws().history(t.general()).stream()
                    .anyMatch(m -> m.text().equals("answer")));
            assertThat(t.ws().history(t.general()))
                    .filteredOn(m -> m.text().equals("answer"))
                    .extracting(ChannelMessage::user)
                    .containsExactly(t.bot().userId());
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"NV", "JDK", "NETTY"})
    void aSilentSocketIsReplacedAfterMissedPongs(
            BrokerOptions.WebSocketLibrary library, SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = broker(slack, redis, "wsl2" + library, library)) {
            relax.register(t.bot());
            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);

            t.ws().goSilent();
            await().atMost(WAIT).until(() -> logins(slack, t.bot()) == 2);
            t.ws().resume();

            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);
            t.ws().as(t.alice()).post(t.general(), "after the silence");
            await().atMost(WAIT)
                    .until(() -> relax.events().stream().anyMatch(e -> e.text().equals("after the silence")));
            assertThat(relax.metrics().count("relax_reconnects_total{cause=\"missed_pongs\"}"))
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"NV", "JDK", "NETTY"})
    void droppedSocketsAndGoodbyeReconnect(
            BrokerOptions.WebSocketLibrary library, SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = broker(slack, redis, "wsl3" + library, library)) {
            relax.register(t.bot());
            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);

            // At least: on a loaded machine the test's 600 ms pong deadline may add a reconnect of its own,
            // counted under missed_pongs, which the exact counts below leave out.
            t.ws().dropSockets();
            await().atMost(WAIT).until(() -> logins(slack, t.bot()) >= 2 && t.ws().openConnections() == 1);
            long beforeGoodbye = logins(slack, t.bot());
            t.ws().sendGoodbye();
            await().atMost(WAIT).until(() -> logins(slack, t.bot()) > beforeGoodbye && t.ws().openConnections() == 1);

            t.ws().as(t.alice()).post(t.general(), "still here");
            await().atMost(WAIT)
                    .until(() -> relax.events().stream().anyMatch(e -> e.text().equals("still here")));
            MetricsPage metrics = relax.metrics();
            assertThat(metrics.count("relax_reconnects_total{cause=\"goodbye\"}"))
                    .isEqualTo(1);
            assertThat(metrics.count("relax_reconnects_total{cause=\"dropped\"}"))
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"NV", "JDK", "NETTY"})
    void socketModeEnvelopesAreWrittenAndAcknowledged(
            BrokerOptions.WebSocketLibrary library, SlackSimulator slack, EmbeddedRedis redis) {
        String appToken = "xapp-1-AWSL" + library + "-secret";
        App app = slack.app("AWSL" + library).appToken(appToken);
        Workspace ws = slack.workspace("TWSLAPP" + library);
        Bot bot = app.install(ws, "xoxb-wsl-app-" + library, "UWSLAPP" + library);
        User alice = ws.user("UAWSLAPP" + library, "alice");
        Channel general = ws.channel("CWSLAPP" + library, "general");
        try (TestBroker relax = broker(slack, redis, "wsl4" + library, library)) {
            relax.client()
                    .addInstallation(Installation.of(
                            app.id(), ws.id(), bot.userId(), bot.token().reveal()));
            relax.client()
                    .registerApp(AppRegistration.socketMode(app.id(), appToken).withConnections(1));
            await().atMost(WAIT).until(() -> app.openConnections() == 1);

            ws.as(alice).post(general, "over socket mode");

            await().atMost(WAIT).until(() -> relax.events().size() == 1);
            assertThat(relax.events().get(0).text()).isEqualTo("over socket mode");
            assertThat(relax.events().get(0).appId()).isEqualTo(app.id());
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(slack.recordings().envelopes(app.id()))
                            .isNotEmpty()
                            .allMatch(EnvelopeRecord::acked));
        }
    }
}
