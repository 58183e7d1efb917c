/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.event.WireEvent;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.MetricsPage;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every fault Slack can throw at a bot, and what the broker does about it. */
class BrokerFaultsIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final AtomicInteger TEAMS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private record Team(Workspace ws, Bot bot, User alice, Channel general) {}

    private static Team team(SlackSimulator slack) {
        String id = "TFLT" + TEAMS.incrementAndGet();
        Workspace ws = slack.workspace(id);
        return new Team(
                ws,
                ws.bot("xoxb-" + id + "-token", "UBOT" + id, "relaxbot"),
                ws.user("UA" + id, "alice"),
                ws.channel("C" + id, "general"));
    }

    private static List<ApiCall> logins(SlackSimulator slack, Bot bot) {
        return slack.recordings().apiCalls("rtm.connect").stream()
                .filter(c -> c.token().equals(bot.token()))
                .toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"revoked", "inactive", "unknown_token", "empty_token"})
    void refusedTokenEmitsDisableBotOnceAndIsNotRetried(String fault, SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        Bot bot =
                switch (fault) {
                    case "unknown_token" ->
                        new Bot(
                                t.ws().id(),
                                t.bot().userId(),
                                t.bot().botId(),
                                "relaxbot",
                                dev.relax.core.Secret.of("xoxb-never-issued"));
                    case "empty_token" ->
                        new Bot(
                                t.ws().id(),
                                t.bot().userId(),
                                t.bot().botId(),
                                "relaxbot",
                                dev.relax.core.Secret.of(""));
                    default -> t.bot();
                };
        if (fault.equals("revoked")) {
            slack.revoke(bot.token().reveal());
        } else if (fault.equals("inactive")) {
            slack.setAccountInactive(bot.token().reveal());
        }
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(bot);

            await().atMost(WAIT).until(() -> relax.events().stream()
                    .anyMatch(ev -> ev.type().equals("disable_bot")));
            assertThat(relax.events()).extracting(WireEvent::type).containsExactly("disable_bot");
            WireEvent e = relax.events().get(0);
            assertThat(e.teamUid()).isEqualTo(t.ws().id());
            assertThat(e.eventTimestamp()).matches("\\d{19}");
            await().during(Duration.ofSeconds(1))
                    .atMost(WAIT)
                    .until(() ->
                            logins(slack, bot).size() == 1 && relax.events().size() == 1);
            assertThat(relax.metrics().count("relax_bots{state=\"disabled\"}")).isEqualTo(1);
        }
    }

    @Test
    void tokenOfANewSlackAppIsRetriedNotDisabled(SlackSimulator slack, EmbeddedRedis redis) {
        // Apps created since 2024-06 get no RTM: rtm.connect answers not_allowed_token_type. The contract
        // disables a bot only for the four refusals above, so this one is retried (and logged as such).
        Team t = team(slack);
        Bot modern =
                slack.app("ANEW" + t.ws().id()).install(t.ws(), "xoxb-new-app-" + t.ws().id(), "UNEW" + t.ws().id());
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(modern);

            await().atMost(WAIT).until(() -> logins(slack, modern).size() >= 2);
            assertThat(logins(slack, modern).get(0).error()).isEqualTo("not_allowed_token_type");
            assertThat(relax.events()).isEmpty();
            // Retries go on while the test reads: at least the one before the second login was counted.
            assertThat(relax.metrics().count("relax_reconnects_total{cause=\"not_allowed_token_type\"}"))
                    .isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void disabledBotStartsAgainOnANewTeamAdded(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        slack.revoke(t.bot().token().reveal());
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            await().atMost(WAIT).until(() -> relax.events().size() == 1);

            Bot fresh = t.ws().bot("xoxb-" + t.ws().id() + "-fresh", t.bot().userId(), "relaxbot");
            relax.register(fresh);

            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);
        }
    }

    @Test
    void migrationInProgressIsRetriedUntilItPasses(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            // From the moment the bot is registered (not before the broker is up, however long that takes).
            slack.migrationInProgress(t.ws().id(), Duration.ofSeconds(2));
            relax.register(t.bot());

            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);
            assertThat(logins(slack, t.bot())).hasSizeGreaterThan(1);
            assertThat(logins(slack, t.bot()).get(0).error()).isEqualTo("migration_in_progress");
            assertThat(relax.events()).isEmpty();
        }
    }

    @Test
    void rateLimitedLoginWaitsRetryAfterInsteadOfHammering(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        slack.rateLimit("rtm.connect", Duration.ofSeconds(2));
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());

            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);
            List<ApiCall> calls = logins(slack, t.bot());
            // The back-off alone would retry every <= 500 ms; Retry-After (1 s or more) spaces the tries.
            assertThat(calls.get(0).status()).isEqualTo(429);
            assertThat(calls).hasSizeLessThanOrEqualTo(3);
            assertThat(Duration.between(calls.get(0).at(), calls.get(1).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }

    @Test
    void silentSocketIsReplacedAfterMissedPongs(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);

            t.ws().goSilent();
            await().atMost(WAIT).until(() -> logins(slack, t.bot()).size() == 2);
            t.ws().resume();

            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);
            t.ws().as(t.alice()).post(t.general(), "after the silence");
            await().atMost(WAIT)
                    .until(() -> relax.events().stream().anyMatch(e -> e.text().equals("after the silence")));
            assertThat(relax.metrics().count("relax_reconnects_total{cause=\"missed_pongs\"}"))
                    .isEqualTo(1);
            assertThat(slack.recordings().maxOpenConnections(t.ws().id())).isEqualTo(1);
        }
    }

    @Test
    void droppedSocketsAndGoodbyeReconnectWithoutEverHoldingTwoSockets(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);

            // At least: on a loaded machine the test's 600 ms pong deadline may add a reconnect of its own,
            // counted under missed_pongs, which the exact counts below leave out.
            t.ws().dropSockets();
            await().atMost(WAIT).until(() -> logins(slack, t.bot()).size() >= 2 && t.ws().openConnections() == 1);
            int beforeGoodbye = logins(slack, t.bot()).size();
            t.ws().sendGoodbye();
            await().atMost(WAIT)
                    .until(() -> logins(slack, t.bot()).size() > beforeGoodbye && t.ws().openConnections() == 1);

            t.ws().as(t.alice()).post(t.general(), "still here");
            await().atMost(WAIT)
                    .until(() -> relax.events().stream().anyMatch(e -> e.text().equals("still here")));
            assertThat(slack.recordings().maxOpenConnections(t.ws().id())).isEqualTo(1);
            MetricsPage metrics = relax.metrics();
            assertThat(metrics.count("relax_reconnects_total{cause=\"goodbye\"}"))
                    .isEqualTo(1);
            assertThat(metrics.count("relax_reconnects_total{cause=\"dropped\"}"))
                    .isEqualTo(1);
        }
    }

    @Test
    void refusedConnectionsAreRetriedWithBackoff(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        slack.refuseConnections(Duration.ofMillis(1500));
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);
            assertThat(logins(slack, t.bot())).hasSizeGreaterThan(1);
        }
    }

    @Test
    void malformedFramesFromSlackAreSkippedAndCountedWhileTheBotKeepsServing(
            SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);

            t.ws().sendRaw("{\"type\":\"message\",\"text\":\"cut off");
            t.ws().sendRaw("[1,2,3]");
            t.ws().sendRaw("{\"type\":\"message\",\"channel\":{\"oops\":1},\"user\":[],\"ts\":{}}");
            t.ws().sendRaw("{\"type\":\"something_slack_added_later\",\"x\":1}");
            t.ws().as(t.alice()).post(t.general(), "after the garbage");

            await().atMost(WAIT)
                    .until(() -> relax.events().stream().anyMatch(e -> e.text().equals("after the garbage")));
            assertThat(relax.metrics().count("relax_frames_malformed_total")).isEqualTo(2);
            assertThat(t.ws().openConnections()).isEqualTo(1);
            assertThat(logins(slack, t.bot())).hasSize(1);
        }
    }

    @Test
    void eventsProducedWhileRedisIsDownArePushedInOrderWhenItReturns(SlackSimulator slack) {
        Team t = team(slack);
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            await().atMost(WAIT)
                    .until(() -> t.ws().openConnections() == 1 && relax.broker().isReady());

            redis.stop();
            await().atMost(WAIT).until(() -> !relax.broker().isReady());
            for (int i = 0; i < 50; i++) {
                t.ws().as(t.alice()).post(t.general(), "during outage " + i);
            }
            await().atMost(WAIT).until(() -> relax.metrics().count("relax_buffer_depth") == 50);
            redis.restart();

            await().atMost(WAIT).until(() -> relax.events().size() == 50);
            assertThat(relax.events())
                    .extracting(WireEvent::text)
                    .containsExactlyElementsOf(IntStream.range(0, 50)
                            .mapToObj(i -> "during outage " + i)
                            .toList());
            await().atMost(WAIT).until(() -> relax.broker().isReady());
        }
    }

    @Test
    void commandSubscriptionSurvivesARedisRestart(SlackSimulator slack) {
        Team t = team(slack);
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                TestBroker relax = TestBroker.start(slack, redis)) {
            await().atMost(WAIT).until(() -> relax.broker().isReady());
            redis.stop();
            await().atMost(WAIT).until(() -> !relax.broker().isReady());
            redis.restart();
            await().atMost(WAIT).until(() -> relax.broker().isReady());

            relax.register(t.bot());

            await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);
        }
    }

    @Test
    void teamRemovedMissedWhileThePubsubConnectionWasDownIsAppliedOnResubscribe(
            SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        Team other = team(slack);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            relax.register(other.bot());
            await().atMost(WAIT)
                    .until(() -> t.ws().openConnections() == 1 && other.ws().openConnections() == 1);

            // The app removes the bot while the broker's subscription is down, so the broker never sees
            // the team_removed; only the missing hash field tells.
            relax.redis().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
            relax.redis().hdel(relax.config().botsKey(), t.ws().id());

            await().atMost(WAIT).until(() -> t.ws().openConnections() == 0);
            assertThat(other.ws().openConnections()).isEqualTo(1);
        }
    }

    @Test
    void overflowDuringALongOutageIsCountedAndLogged(SlackSimulator slack) {
        Team t = team(slack);
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                TestBroker relax = TestBroker.builder(slack, redis)
                        .options(
                                TestBroker.testOptions().mutate().bufferSize(10).build())
                        .start()) {
            relax.register(t.bot());
            await().atMost(WAIT)
                    .until(() -> t.ws().openConnections() == 1 && relax.broker().isReady());

            redis.stop();
            await().atMost(WAIT).until(() -> !relax.broker().isReady());
            for (int i = 0; i < 15; i++) {
                t.ws().as(t.alice()).post(t.general(), "m" + i);
            }
            await().atMost(WAIT).until(() -> relax.metrics().count("relax_events_dropped_total") == 5);
            redis.restart();

            await().atMost(WAIT).until(() -> relax.events().size() == 10);
            assertThat(relax.events())
                    .extracting(WireEvent::text)
                    .containsExactlyElementsOf(
                            IntStream.range(0, 10).mapToObj(i -> "m" + i).toList());
        }
    }
}
