/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.event.WireEvent;
import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.Command;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.RecordedConnection;
import dev.relax.testkit.RecordedFrame;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registrations and commands over Redis, as apps (and the Ruby client) send them. */
class BrokerCommandsIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final AtomicInteger TEAMS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static String teamId() {
        return "TCMD" + TEAMS.incrementAndGet();
    }

    private static Bot bot(Workspace ws) {
        return ws.bot("xoxb-" + ws.id() + "-token", "UBOT" + ws.id(), "relaxbot");
    }

    private static List<ApiCall> loginsWith(SlackSimulator slack, Bot bot) {
        return slack.recordings().apiCalls("rtm.connect").stream()
                .filter(c -> c.token().equals(bot.token()))
                .toList();
    }

    @Test
    void loadsEveryRegisteredBotAtStartAndSkipsAPoisonedEntry(SlackSimulator slack, EmbeddedRedis redis) {
        List<Workspace> teams = new java.util.ArrayList<>();
        try (TestBroker setup = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("poison"))
                .start()) {
            for (int i = 0; i < 50; i++) {
                Workspace ws = slack.workspace(teamId());
                teams.add(ws);
                Bot b = bot(ws);
                setup.redis()
                        .hset(
                                "poison_bots",
                                ws.id(),
                                "{\"team_id\":\"" + ws.id() + "\",\"token\":\""
                                        + b.token().reveal() + "\"}");
            }
            setup.redis().hset("poison_bots", "TBROKEN", "{\"team_id\":\"TBROKEN\",\"token\":\"xoxb-leak-me\" oops");
            setup.redis().hset("poison_bots", "TNOTEAM", "{\"token\":\"xoxb-no-team\"}");
        }
        try (TestBroker relax = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("poison"))
                .start()) {
            await().atMost(WAIT).until(() -> teams.stream().allMatch(ws -> ws.openConnections() == 1));
            await().atMost(WAIT).until(() -> relax.broker().isReady());
        }
    }

    @Test
    void teamAddedStartsAndTeamRemovedStopsForGood(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace ws = slack.workspace(teamId());
        Bot bot = bot(ws);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);

            // The Ruby client deletes the entry first, then publishes, in one MULTI.
            relax.redis().hdel(relax.config().botsKey(), ws.id());
            relax.publish(new Command.TeamRemoved(BotId.of(ws.id())));

            await().atMost(WAIT).until(() -> ws.openConnections() == 0);
            RecordedConnection closed = slack.recordings().connections(ws.id()).get(0);
            assertThat(closed.closeCode()).isEqualTo(1000);
            int logins = loginsWith(slack, bot).size();
            // Slack drops what would have been a live socket: a stopped bot must not come back.
            ws.dropSockets();
            ws.sendGoodbye();
            await().during(Duration.ofSeconds(1))
                    .atMost(WAIT)
                    .until(() -> loginsWith(slack, bot).size() == logins && ws.openConnections() == 0);
        }
    }

    @Test
    void messageCommandIsWrittenToTheSocketOnceAcrossTwoBrokers(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace ws = slack.workspace(teamId());
        Bot bot = bot(ws);
        Channel general = ws.channel("C" + ws.id(), "general");
        try (TestBroker first = TestBroker.builder(slack, redis)
                        .config(c -> c.keysWithPrefix("pair" + ws.id()))
                        .start();
                TestBroker second = TestBroker.builder(slack, redis)
                        .config(c -> c.keysWithPrefix("pair" + ws.id()))
                        .start()) {
            first.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 2);

            for (int i = 1; i <= 5; i++) {
                String payload = "{\"id\":" + i + ",\"type\":\"message\",\"channel\":\"" + general.id()
                        + "\",\"text\":\"reply " + i + "\"}";
                first.publish(new Command.SendMessage(BotId.of(ws.id()), "cmd-" + ws.id() + "-" + i, payload));
            }

            await().atMost(WAIT).until(() -> sentMessages(slack, ws).size() == 5);
            await().during(Duration.ofMillis(500))
                    .atMost(WAIT)
                    .until(() -> sentMessages(slack, ws).size() == 5);
            assertThat(sentMessages(slack, ws))
                    .extracting(f -> f.json().get("text").asText())
                    .containsExactlyInAnyOrder("reply 1", "reply 2", "reply 3", "reply 4", "reply 5");
        }
    }

    @Test
    void typingIndicatorOfTheRubyClientReachesSlack(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace ws = slack.workspace(teamId());
        Bot bot = bot(ws);
        Channel general = ws.channel("C" + ws.id(), "general");
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);

            relax.publishRaw("{\"type\":\"message\",\"team_id\":\"" + ws.id() + "\",\"id\":\"6f1c\",\"payload\":"
                    + "\"{\\\"id\\\":\\\"6f1c\\\",\\\"type\\\":\\\"typing\\\",\\\"channel\\\":\\\"" + general.id()
                    + "\\\"}\"}");

            await().atMost(WAIT).until(() -> slack.recordings().connections(ws.id()).stream()
                    .anyMatch(c -> !c.sent("typing").isEmpty()));
        }
    }

    @Test
    void tokenRotationReplacesTheBotWithoutOldTokenLoginOrDisableBot(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace ws = slack.workspace(teamId());
        Bot old = bot(ws);
        User alice = ws.user("UA" + ws.id(), "alice");
        Channel general = ws.channel("C" + ws.id(), "general");
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(old);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);
            int oldLogins = loginsWith(slack, old).size();

            Bot rotated = ws.bot("xoxb-" + ws.id() + "-rotated", old.userId(), "relaxbot");
            slack.revoke(old.token().reveal());
            relax.register(rotated);

            await().atMost(WAIT).until(() -> loginsWith(slack, rotated).size() == 1 && ws.openConnections() == 1);
            ws.as(alice).post(general, "after rotation");
            await().atMost(WAIT)
                    .until(() -> relax.events().stream().anyMatch(e -> e.text().equals("after rotation")));
            // Slack dropped the old socket when it revoked the token, so the old bot may have tried its
            // token once before the command arrived; after the new login it never does.
            java.time.Instant rotatedAt = loginsWith(slack, rotated).get(0).at();
            assertThat(loginsWith(slack, old))
                    .hasSizeLessThanOrEqualTo(oldLogins + 1)
                    .allMatch(c -> c.at().isBefore(rotatedAt));
            assertThat(relax.events()).extracting(WireEvent::type).doesNotContain("disable_bot");
        }
    }

    @Test
    void badCommandsAreIgnoredAndTheBrokerKeepsServing(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace ws = slack.workspace(teamId());
        Bot bot = bot(ws);
        User alice = ws.user("UA" + ws.id(), "alice");
        Channel general = ws.channel("C" + ws.id(), "general");
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.publishRaw("not json at all");
            relax.publishRaw("{\"type\":\"team_added\"}");
            relax.publishRaw("{\"type\":\"team_exploded\",\"team_id\":\"T1\"}");
            relax.publish(new Command.TeamAdded(BotId.of("TNOBODY")));
            relax.publish(new Command.SendMessage(BotId.of("TNOBODY"), "x", "{}"));
            relax.register(bot);

            await().atMost(WAIT).until(() -> ws.openConnections() == 1);
            ws.as(alice).post(general, "still serving");
            await().atMost(WAIT)
                    .until(() -> relax.events().stream().anyMatch(e -> e.text().equals("still serving")));
            assertThat(relax.metrics().count("relax_commands_rejected_total")).isEqualTo(5);
        }
    }

    @Test
    void oneBotStuckInLoginNeverDelaysCommandsForOthers(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace stuck = slack.workspace(teamId());
        Bot stuckBot = bot(stuck);
        Workspace fine = slack.workspace(teamId());
        Bot fineBot = bot(fine);
        slack.migrationInProgress(stuck.id(), Duration.ofMinutes(5));
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(stuckBot);
            await().atMost(WAIT).until(() -> loginsWith(slack, stuckBot).size() >= 2);

            relax.register(fineBot);

            await().atMost(Duration.ofSeconds(5)).until(() -> fine.openConnections() == 1);
            assertThat(stuck.openConnections()).isZero();
        }
    }

    @Test
    void botRepliesAreDroppedUnlessSendBotRepliesIsSet(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        Workspace ws = slack.workspace(teamId());
        Bot bot = bot(ws);
        User alice = ws.user("UA" + ws.id(), "alice");
        Channel general = ws.channel("C" + ws.id(), "general");
        try (TestBroker quiet = TestBroker.start(slack, redis);
                TestBroker chatty = TestBroker.builder(slack, redis)
                        .config(c -> c.sendBotReplies(true))
                        .start()) {
            quiet.register(bot);
            chatty.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 2);

            postAsBot(slack, bot, general, "Deploy status: all green");
            ws.as(alice).post(general, "thanks");

            await().atMost(WAIT)
                    .until(() -> chatty.events().size() >= 2 && !quiet.events().isEmpty());
            assertThat(chatty.events())
                    .extracting(WireEvent::text)
                    .containsExactly("Deploy status: all green", "thanks");
            assertThat(quiet.events()).extracting(WireEvent::text).containsExactly("thanks");
        }
    }

    @Test
    void messageCommandForABotBetweenSocketsIsSentOnceItReconnects(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace ws = slack.workspace(teamId());
        Bot bot = bot(ws);
        Channel general = ws.channel("C" + ws.id(), "general");
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);
            slack.refuseConnections(Duration.ofSeconds(1));
            ws.dropSockets();
            await().atMost(WAIT).until(() -> ws.openConnections() == 0);

            String payload = "{\"id\":7,\"type\":\"message\",\"channel\":\"" + general.id() + "\",\"text\":\"queued\"}";
            relax.publish(new Command.SendMessage(BotId.of(ws.id()), "queued-" + ws.id(), payload));

            await().atMost(WAIT).until(() -> sentMessages(slack, ws).size() == 1);
            assertThat(sentMessages(slack, ws).get(0).json().get("text").asText())
                    .isEqualTo("queued");
        }
    }

    @Test
    void messageCommandsWithoutIdEachGetOneAndAreAllSent(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace ws = slack.workspace(teamId());
        Bot bot = bot(ws);
        Channel general = ws.channel("C" + ws.id(), "general");
        try (TestBroker relax = TestBroker.builder(slack, redis)
                .config(c -> c.mutexMode(dev.relax.core.MutexMode.HASH))
                .start()) {
            relax.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);

            for (int i = 1; i <= 3; i++) {
                relax.publishRaw("{\"type\":\"message\",\"team_id\":\"" + ws.id() + "\",\"payload\":"
                        + "\"{\\\"id\\\":" + i + ",\\\"type\\\":\\\"message\\\",\\\"channel\\\":\\\"" + general.id()
                        + "\\\",\\\"text\\\":\\\"no id " + i + "\\\"}\"}");
            }

            await().atMost(WAIT).until(() -> sentMessages(slack, ws).size() == 3);
            assertThat(relax.redis().hkeys(relax.config().mutexKey()))
                    .filteredOn(k -> k.startsWith("send_slack_message:"))
                    .hasSize(3)
                    .doesNotContain("send_slack_message:");
        }
    }

    @Test
    void rtmStartIsUsedWhenConfigured(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace ws = slack.workspace(teamId());
        Bot bot = bot(ws);
        try (TestBroker relax = TestBroker.builder(slack, redis)
                .options(
                        TestBroker.testOptions().mutate().rtmMethod("rtm.start").build())
                .start()) {
            relax.register(bot);

            await().atMost(WAIT).until(() -> ws.openConnections() == 1);
            assertThat(slack.recordings().apiCalls("rtm.start"))
                    .anyMatch(c -> c.token().equals(bot.token()));
            assertThat(loginsWith(slack, bot)).isEmpty();
        }
    }

    private static void postAsBot(SlackSimulator slack, Bot bot, Channel channel, String text) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(slack.baseUrl() + "/api/chat.postMessage"))
                                .header("Authorization", "Bearer " + bot.token().reveal())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"channel\":\"" + channel.id() + "\",\"text\":\"" + text + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).contains("\"ok\":true");
    }

    private static List<RecordedFrame> sentMessages(SlackSimulator slack, Workspace ws) {
        return slack.recordings().connections(ws.id()).stream()
                .flatMap(c -> c.sent("message").stream())
                .toList();
    }
}
