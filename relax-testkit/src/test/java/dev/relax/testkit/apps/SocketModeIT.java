/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.event.WireEvent;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ConnectionCount;
import dev.relax.testkit.DisconnectReason;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.EnvelopeRecord;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slack apps over Socket Mode (https://api.slack.com/apis/socket-mode): events of every workspace the
 * app is installed in, acknowledged only once in Redis, connections shared by the brokers of a fleet
 * through leases, refreshed without a gap, and disabled when Slack refuses the app.
 */
class SocketModeIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK = SlackSimulatorExtension.create()
            .withRedis()
            .configure(s -> s.ackTimeout(Duration.ofMillis(700)).maxRetries(40).closeGrace(Duration.ofMillis(300)));

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** An app installed in two workspaces, registered with a fresh set of keys. */
    private record Setup(String id, App app, String appToken, Workspace ws1, Workspace ws2, Bot bot1, Bot bot2) {}

    private static Setup setup(SlackSimulator slack) {
        String id = "SM" + RUNS.incrementAndGet();
        String appToken = "xapp-1-A" + id + "-secret";
        App app = slack.app("A" + id).appToken(appToken);
        Workspace ws1 = slack.workspace("T1" + id);
        Workspace ws2 = slack.workspace("T2" + id);
        Bot bot1 = app.install(ws1, "xoxb-1-" + id, "UB1" + id);
        Bot bot2 = app.install(ws2, "xoxb-2-" + id, "UB2" + id);
        return new Setup(id, app, appToken, ws1, ws2, bot1, bot2);
    }

    private static TestBroker broker(SlackSimulator slack, EmbeddedRedis redis, Setup s) {
        return broker(slack, redis, s, Duration.ofSeconds(2));
    }

    private static TestBroker broker(SlackSimulator slack, EmbeddedRedis redis, Setup s, Duration leaseTtl) {
        return TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("sm" + s.id()))
                .options(o -> o.appLeaseTtl(leaseTtl).shutdownTimeout(Duration.ofSeconds(1)))
                .start();
    }

    private static void register(TestBroker broker, Setup s, int connections) {
        broker.addInstallation(s.app().id(), s.bot1());
        broker.addInstallation(s.app().id(), s.bot2());
        broker.client()
                .registerApp(
                        AppRegistration.socketMode(s.app().id(), s.appToken()).withConnections(connections));
    }

    @Test
    void eventsFromTwoWorkspacesArriveOnceEachAndEveryEnvelopeIsAcknowledged(
            SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        User alice = s.ws1().user("UA" + s.id(), "alice");
        User bob = s.ws2().user("UB" + s.id(), "bob");
        Channel general = s.ws1().channel("C1" + s.id(), "general");
        Channel random = s.ws2().channel("C2" + s.id(), "random");
        try (TestBroker broker = broker(slack, redis, s)) {
            register(broker, s, 2);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 2);

            String ts = s.ws1().as(alice).mention(s.bot1(), general, "hello");
            s.ws2().as(bob).post(random, "from the other workspace");
            s.ws1().as(alice).react(general, ts, "eyes");

            await().atMost(WAIT).until(() -> broker.events().size() >= 3);
            await().during(Duration.ofMillis(700))
                    .atMost(WAIT)
                    .until(() -> broker.events().size() == 3);
            List<WireEvent> events = broker.events();
            // Slack sent the mention twice (message and app_mention): it is on the queue once.
            assertThat(events)
                    .extracting(WireEvent::type, WireEvent::teamUid, WireEvent::relaxBotUid, WireEvent::appId)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(
                                    "message_new",
                                    s.ws1().id(),
                                    s.bot1().userId(),
                                    s.app().id()),
                            org.assertj.core.groups.Tuple.tuple(
                                    "message_new",
                                    s.ws2().id(),
                                    s.bot2().userId(),
                                    s.app().id()),
                            org.assertj.core.groups.Tuple.tuple(
                                    "reaction_added",
                                    s.ws1().id(),
                                    s.bot1().userId(),
                                    s.app().id()));
            assertThat(events.stream()
                            .filter(e ->
                                    e.teamUid().equals(s.ws1().id()) && e.type().equals("message_new")))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.text()).isEqualTo("<@" + s.bot1().userId() + "> hello");
                        assertThat(e.channelUid()).isEqualTo(general.id());
                        assertThat(e.timestamp()).isEqualTo(ts);
                        assertThat(e.extraText("slack_event_id")).startsWith("Ev");
                    });
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                            slack.recordings().envelopes(s.app().id()))
                    .hasSize(4)
                    .allMatch(EnvelopeRecord::acked)
                    .allMatch(e -> e.attempts() == 1));
        }
    }

    @Test
    void anEnvelopeNotInRedisWhenItsBrokerDiesIsRedeliveredAndWrittenByAnother(
            SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        User alice = s.ws1().user("UA" + s.id(), "alice");
        Channel general = s.ws1().channel("C1" + s.id(), "general");
        TestBroker first = broker(slack, redis, s);
        try {
            register(first, s, 1);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 1);

            redis.stop();
            s.ws1().as(alice).post(general, "sent while Redis is down");
            await().atMost(WAIT)
                    .until(() -> !slack.recordings().envelopes(s.app().id()).isEmpty());
            // Not in Redis, so not acknowledged: Slack keeps redelivering it.
            await().during(Duration.ofSeconds(1))
                    .atMost(WAIT)
                    .until(() ->
                            slack.recordings().envelopes(s.app().id()).stream().noneMatch(EnvelopeRecord::acked));
        } finally {
            first.close(); // the broker goes, and the event it held in memory with it
        }
        redis.restart(); // empty: the app is registered again
        try (TestBroker second = broker(slack, redis, s)) {
            register(second, s, 1);
            await().atMost(WAIT).until(() -> second.events().size() == 1);
            assertThat(second.events().get(0).text()).isEqualTo("sent while Redis is down");
            await().atMost(WAIT)
                    .until(() ->
                            slack.recordings().envelopes(s.app().id()).stream().allMatch(EnvelopeRecord::acked));
            await().during(Duration.ofMillis(700))
                    .atMost(WAIT)
                    .until(() -> second.events().size() == 1);
        }
    }

    @Test
    void refreshRequestedOpensTheNewConnectionBeforeTheOldOneCloses(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        User alice = s.ws1().user("UA" + s.id(), "alice");
        Channel general = s.ws1().channel("C1" + s.id(), "general");
        // Margins as in production, so that only the broker's order is tested, not the speed of a loaded
        // machine: Slack keeps a refreshed socket open for some seconds, and a spare lease (3/4 of the TTL)
        // outlasts the opening of the replacement. With the class's 300 ms close grace, a replacement
        // slower than that to say hello on a busy CI machine let the count dip to one.
        try (TestBroker broker = broker(slack, redis, s, Duration.ofSeconds(20))) {
            register(broker, s, 2);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 2);
            int opened = slack.recordings().apiCalls("apps.connections.open").size();
            int historyBefore =
                    slack.recordings().connectionHistory(s.app().id()).size();

            s.app().disconnect(DisconnectReason.REFRESH_REQUESTED, Duration.ofSeconds(10));
            for (int i = 0; i < 10; i++) {
                s.ws1().as(alice).post(general, "during refresh " + i);
            }

            await().atMost(WAIT)
                    .until(() ->
                            slack.recordings().apiCalls("apps.connections.open").size() >= opened + 2);
            await().atMost(WAIT).until(() -> broker.events().size() == 10);
            await().atMost(WAIT)
                    .until(() -> slack.recordings().connectionHistory(s.app().id()).stream()
                                            .skip(historyBefore)
                                            .filter(c -> c.count() < 2)
                                            .count()
                                    == 0
                            && s.app().openConnections() == 2);
            List<ConnectionCount> during = slack
                    .recordings()
                    .connectionHistory(s.app().id())
                    .stream()
                    .skip(historyBefore)
                    .toList();
            // Never fewer than two: each replacement said hello before its predecessor closed.
            assertThat(during).isNotEmpty().allMatch(c -> c.count() >= 2);
            assertThat(broker.events()).extracting(WireEvent::text).doesNotHaveDuplicates();
        }
    }

    @Test
    void twoBrokersShareTheConnectionsAndTheSurvivorTakesOverADeadOnesShare(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        User alice = s.ws1().user("UA" + s.id(), "alice");
        Channel general = s.ws1().channel("C1" + s.id(), "general");
        TestBroker a = broker(slack, redis, s);
        try (TestBroker b = broker(slack, redis, s)) {
            register(a, s, 2);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 2);
            await().during(Duration.ofSeconds(2))
                    .atMost(WAIT)
                    .until(() -> s.app().openConnections() == 2);
            assertThat(slack.recordings().maxOpenConnections(s.app().id())).isEqualTo(2);

            a.close();
            await().atMost(WAIT).until(() -> s.app().openConnections() == 2);
            s.ws1().as(alice).post(general, "after the takeover");
            await().atMost(WAIT)
                    .until(() -> b.events().stream().anyMatch(e -> e.text().equals("after the takeover")));
            assertThat(slack.recordings().maxOpenConnections(s.app().id())).isLessThanOrEqualTo(2);
        } finally {
            a.close();
        }
    }

    @Test
    void aRevokedAppTokenEmitsDisableBotOnceAndStopsReconnecting(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        try (TestBroker broker = broker(slack, redis, s)) {
            register(broker, s, 2);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 2);

            slack.revoke(s.appToken());

            await().atMost(WAIT)
                    .until(() -> broker.events().stream().anyMatch(e -> e.type().equals("disable_bot")));
            int calls = slack.recordings().apiCalls("apps.connections.open").size();
            await().during(Duration.ofSeconds(1))
                    .atMost(WAIT)
                    .until(() ->
                            slack.recordings().apiCalls("apps.connections.open").size() == calls
                                    && s.app().openConnections() == 0);
            assertThat(broker.events()).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo("disable_bot");
                assertThat(e.appId()).isEqualTo(s.app().id());
                assertThat(e.extraText("reason")).isEqualTo("token_revoked");
            });
        }
    }

    @Test
    void linkDisabledEmitsDisableBotAndANewRegistrationStartsAgain(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        try (TestBroker broker = broker(slack, redis, s)) {
            register(broker, s, 1);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 1);

            s.app().disconnect(DisconnectReason.LINK_DISABLED);

            await().atMost(WAIT).until(() -> broker.events().stream()
                    .anyMatch(e -> e.type().equals("disable_bot")
                            && e.extraText("reason").equals("link_disabled")));
            await().during(Duration.ofMillis(700))
                    .atMost(WAIT)
                    .until(() -> s.app().openConnections() == 0);

            String rotated = "xapp-1-A" + s.id() + "-rotated";
            s.app().appToken(rotated);
            broker.client()
                    .registerApp(
                            AppRegistration.socketMode(s.app().id(), rotated).withConnections(1));
            await().atMost(WAIT).until(() -> s.app().openConnections() == 1);
        }
    }

    @Test
    void twoAppsInOneWorkspaceEachGetTheirOwnCopyOfAPost(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        String otherToken = "xapp-1-B" + s.id() + "-secret";
        App other = slack.app("B" + s.id()).appToken(otherToken);
        Bot otherBot = other.install(s.ws1(), "xoxb-b-" + s.id(), "UBB" + s.id());
        User alice = s.ws1().user("UA" + s.id(), "alice");
        Channel general = s.ws1().channel("C1" + s.id(), "general");
        try (TestBroker broker = broker(slack, redis, s)) {
            register(broker, s, 1);
            broker.addInstallation(other.id(), otherBot);
            broker.client()
                    .registerApp(
                            AppRegistration.socketMode(other.id(), otherToken).withConnections(1));
            await().atMost(WAIT).until(() -> s.app().openConnections() == 1 && other.openConnections() == 1);

            s.ws1().as(alice).post(general, "for everyone");

            await().atMost(WAIT).until(() -> broker.events().size() >= 2);
            await().during(Duration.ofMillis(500))
                    .atMost(WAIT)
                    .until(() -> broker.events().size() == 2);
            assertThat(broker.events())
                    .extracting(WireEvent::appId, WireEvent::relaxBotUid, WireEvent::text)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(
                                    s.app().id(), s.bot1().userId(), "for everyone"),
                            org.assertj.core.groups.Tuple.tuple(other.id(), otherBot.userId(), "for everyone"));
        }
    }

    @Test
    void aDisabledAppRegisteredAgainUnchangedStartsAgain(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        try (TestBroker broker = broker(slack, redis, s)) {
            register(broker, s, 1);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 1);
            s.app().disconnect(DisconnectReason.LINK_DISABLED);
            await().atMost(WAIT)
                    .until(() -> broker.events().stream().anyMatch(e -> e.type().equals("disable_bot")));
            await().during(Duration.ofMillis(500))
                    .atMost(WAIT)
                    .until(() -> s.app().openConnections() == 0);

            // Fixed on Slack's side, same token: app_added alone brings it back.
            register(broker, s, 1);

            await().atMost(WAIT).until(() -> s.app().openConnections() == 1);
        }
    }

    @Test
    void slashCommandsAndButtonClicksBecomeEventsWithSlacksPayload(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        User alice = s.ws1().user("UA" + s.id(), "alice");
        Channel general = s.ws1().channel("C1" + s.id(), "general");
        try (TestBroker broker = broker(slack, redis, s)) {
            register(broker, s, 1);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 1);

            s.app().slashCommand(s.ws1(), alice, general, "/deploy", "prod now");
            s.app().blockAction(s.ws1(), alice, general, "approve", "yes");

            await().atMost(WAIT).until(() -> broker.events().size() == 2);
            // Two envelopes: Slack promises no order between them, and neither does the broker.
            List<WireEvent> events = broker.events().stream()
                    .sorted(Comparator.comparing(WireEvent::type).reversed())
                    .toList();
            assertThat(events.get(0)).satisfies(e -> {
                assertThat(e.type()).isEqualTo("slash_command");
                assertThat(e.userUid()).isEqualTo(alice.id());
                assertThat(e.channelUid()).isEqualTo(general.id());
                assertThat(e.text()).isEqualTo("prod now");
                assertThat(e.relaxBotUid()).isEqualTo(s.bot1().userId());
                assertThat(e.extraText("command")).isEqualTo("/deploy");
                assertThat(e.extraJson().get("payload")).contains("\"trigger_id\"");
                assertThat(e.extraJson().get("payload"))
                        .as("Slack's verification token is a secret of the app, not part of the event")
                        .doesNotContain("\"token\"");
            });
            assertThat(events.get(1)).satisfies(e -> {
                assertThat(e.type()).isEqualTo("interaction");
                assertThat(e.extraText("interaction_type")).isEqualTo("block_actions");
                assertThat(e.extraJson().get("payload")).contains("\"action_id\":\"approve\"");
            });
            await().atMost(WAIT)
                    .until(() ->
                            slack.recordings().envelopes(s.app().id()).stream().allMatch(EnvelopeRecord::acked));
        }
    }

    @Test
    void aRateLimitedConnectionsOpenWaitsForRetryAfter(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        try (TestBroker broker = broker(slack, redis, s)) {
            slack.rateLimit("apps.connections.open", Duration.ofSeconds(2));
            register(broker, s, 1);

            await().atMost(WAIT).until(() -> s.app().openConnections() == 1);
            List<dev.relax.testkit.ApiCall> calls = slack.recordings().apiCalls("apps.connections.open").stream()
                    .filter(c -> c.token().reveal().equals(s.appToken()))
                    .toList();
            // Retry-After is 2 s: one refused call, then the one that worked (no hot loop).
            assertThat(calls).hasSizeBetween(2, 3);
            assertThat(calls.get(0).status()).isEqualTo(429);
            assertThat(Duration.between(calls.get(0).at(), calls.get(1).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        }
    }

    @Test
    void aSilentSocketIsReplacedAndItsEnvelopeIsRedeliveredToTheNewOne(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        User alice = s.ws1().user("UA" + s.id(), "alice");
        Channel general = s.ws1().channel("C1" + s.id(), "general");
        try (TestBroker broker = broker(slack, redis, s)) {
            register(broker, s, 1);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 1);
            int opened = slack.recordings().apiCalls("apps.connections.open").size();

            s.app().goSilent();
            s.ws1().as(alice).post(general, "behind a broken path");

            // No pong for maxMissedPongs ping intervals: the broker opens a new socket and closes the quiet one.
            await().atMost(WAIT)
                    .until(() ->
                            slack.recordings().apiCalls("apps.connections.open").size() > opened);
            await().atMost(WAIT).until(() -> broker.events().size() == 1);
            assertThat(broker.events().get(0).text()).isEqualTo("behind a broken path");
            await().atMost(WAIT)
                    .until(() -> s.app().openConnections() == 1
                            && slack.recordings().envelopes(s.app().id()).stream()
                                    .allMatch(EnvelopeRecord::acked));
        }
    }

    @Test
    void framesSlackShouldNeverSendAreLoggedAndSkippedWithoutLosingTheConnection(
            SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        Setup s = setup(slack);
        User alice = s.ws1().user("UA" + s.id(), "alice");
        Channel general = s.ws1().channel("C1" + s.id(), "general");
        try (TestBroker broker = broker(slack, redis, s)) {
            register(broker, s, 1);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 1);
            int opened = slack.recordings().apiCalls("apps.connections.open").size();

            s.app().sendRaw("not json at all");
            s.app().sendRaw("[1,2,3]");
            s.app().sendRaw("{\"type\":\"events_api\",\"envelope_id\":\"bad-1\",\"payload\":\"not an object\"}");
            s.app().sendRaw("{\"type\":\"something_new\",\"envelope_id\":\"new-1\"}");
            s.ws1().as(alice).post(general, "still flowing");

            await().atMost(WAIT).until(() -> broker.events().size() == 1);
            assertThat(broker.events().get(0).text()).isEqualTo("still flowing");
            assertThat(slack.recordings().apiCalls("apps.connections.open")).hasSize(opened);
            assertThat(broker.metrics().count("relax_frames_malformed_total")).isEqualTo(2);
            // The envelopes that carried nothing usable were acknowledged, so Slack does not resend them.
            assertThat(slack.recordings().connections(s.app().id()).get(0).sent("").stream()
                            .map(f -> f.text())
                            .toList())
                    .anyMatch(t -> t.contains("bad-1"))
                    .anyMatch(t -> t.contains("new-1"));
        }
    }

    @Test
    void aRemovedAppClosesItsConnectionsAndGivesBackItsLeases(SlackSimulator slack, EmbeddedRedis redis) {
        Setup s = setup(slack);
        try (TestBroker broker = broker(slack, redis, s)) {
            register(broker, s, 2);
            await().atMost(WAIT).until(() -> s.app().openConnections() == 2);
            assertThat(broker.redis().keys("sm" + s.id() + "_bots:apps:lease:*"))
                    .hasSize(2);

            broker.client().removeApp(s.app().id());

            await().atMost(WAIT).until(() -> s.app().openConnections() == 0);
            await().atMost(WAIT).until(() -> broker.redis()
                    .keys("sm" + s.id() + "_bots:apps:lease:*")
                    .isEmpty());
            assertThat(broker.client().apps()).isEmpty();
        }
    }
}
