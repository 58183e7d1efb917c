/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.relax.core.event.WireEvent;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Slack activity in, Relax events out: the broker end to end against the simulator and Redis. */
class BrokerEventsIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final AtomicInteger TEAMS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** A fresh workspace with a bot, two users, a channel and a DM. */
    private record Team(Workspace ws, Bot bot, User alice, User bob, Channel general, Channel dm) {}

    private static Team team(SlackSimulator slack) {
        String id = "TEV" + TEAMS.incrementAndGet();
        Workspace ws = slack.workspace(id);
        User alice = ws.user("UA" + id, "alice");
        User bob = ws.user("UB" + id, "bob");
        Bot bot = ws.bot("xoxb-" + id + "-secret", "UBOT" + id, "relaxbot");
        Channel general = ws.channel("C" + id, "general");
        Channel dm = ws.im(alice, bot);
        return new Team(ws, bot, alice, bob, general, dm);
    }

    private static void awaitConnected(SlackSimulator slack, Team t) {
        await().atMost(WAIT).until(() -> t.ws().openConnections() == 1);
    }

    @Test
    void channelMessageBecomesMessageNewWithEveryField(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            awaitConnected(slack, t);

            String ts = t.ws().as(t.alice()).post(t.general(), "Morning all!");

            await().atMost(WAIT).until(() -> !relax.events().isEmpty());
            WireEvent e = relax.events().get(0);
            assertThat(e.type()).isEqualTo("message_new");
            assertThat(e.userUid()).isEqualTo(t.alice().id());
            assertThat(e.channelUid()).isEqualTo(t.general().id());
            assertThat(e.teamUid()).isEqualTo(t.ws().id());
            assertThat(e.im()).isFalse();
            assertThat(e.text()).isEqualTo("Morning all!");
            assertThat(e.relaxBotUid()).isEqualTo(t.bot().userId());
            assertThat(e.timestamp()).isEqualTo(ts);
            assertThat(e.eventTimestamp()).isEqualTo(ts);
            assertThat(e.provider()).isEqualTo("slack");
            assertThat(e.namespace()).isEmpty();
            assertThat(e.attachmentsJson()).isNull();
        }
    }

    @Test
    void warmUpAtStartMakesNoEventOfItsOwn(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = TestBroker.builder(slack, redis)
                .options(TestBroker.testOptions().mutate().warmup(true).build())
                .start()) {
            relax.register(t.bot());
            awaitConnected(slack, t);
            await().atMost(Duration.ofSeconds(120)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(th -> th.getName().equals("relax-warmup")));

            String ts = t.ws().as(t.alice()).post(t.general(), "first after the warm-up");

            await().atMost(WAIT).until(() -> !relax.events().isEmpty());
            assertThat(relax.events())
                    .extracting(WireEvent::type, WireEvent::text, WireEvent::timestamp)
                    .containsExactly(tuple("message_new", "first after the warm-up", ts));
        }
    }

    @Test
    void directMessageIsIm(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            awaitConnected(slack, t);

            t.ws().as(t.alice()).post(t.dm(), "can you check staging?");

            await().atMost(WAIT)
                    .until(() -> relax.events().stream().anyMatch(e -> e.type().equals("message_new")));
            WireEvent e = relax.events().stream()
                    .filter(x -> x.type().equals("message_new"))
                    .findFirst()
                    .orElseThrow();
            assertThat(e.im()).isTrue();
            assertThat(e.channelUid()).isEqualTo(t.dm().id());
        }
    }

    @Test
    void editDeleteAndReactionsBecomeTheirEvents(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            awaitConnected(slack, t);

            String ts = t.ws().as(t.alice()).post(t.general(), "deploy at 10");
            t.ws().as(t.alice()).edit(t.general(), ts, "deploy at 11");
            t.ws().as(t.bob()).react(t.general(), ts, "thumbsup");
            t.ws().as(t.bob()).unreact(t.general(), ts, "thumbsup");
            t.ws().as(t.alice()).delete(t.general(), ts);

            await().atMost(WAIT).until(() -> relax.events().size() >= 5);
            List<WireEvent> events = relax.events();
            assertThat(events)
                    .extracting(WireEvent::type)
                    .containsExactly(
                            "message_new", "message_edited", "reaction_added", "reaction_removed", "message_deleted");
            WireEvent edited = events.get(1);
            assertThat(edited.text()).isEqualTo("deploy at 11");
            assertThat(edited.timestamp()).isEqualTo(ts);
            assertThat(edited.userUid()).isEqualTo(t.alice().id());
            assertThat(edited.eventTimestamp()).isNotEqualTo(ts);
            WireEvent reaction = events.get(2);
            assertThat(reaction.text()).isEqualTo("thumbsup");
            assertThat(reaction.userUid()).isEqualTo(t.bob().id());
            assertThat(reaction.timestamp()).isEqualTo(ts);
            WireEvent deleted = events.get(4);
            assertThat(deleted.timestamp()).isEqualTo(ts);
            assertThat(deleted.text()).isEqualTo("deploy at 11");
            assertThat(deleted.userUid()).isEqualTo(t.alice().id());
        }
    }

    @Test
    void teamJoinImCreatedAndChannelJoinedAreReported(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            awaitConnected(slack, t);

            User dana = t.ws().join("UD" + t.ws().id(), "dana");
            Channel danaDm = t.ws().im(dana, t.bot());
            Channel deploys = t.ws().channel("CDEP" + t.ws().id(), "deploys");
            t.ws().botJoins(t.bot(), deploys);

            await().atMost(WAIT).until(() -> relax.events().size() >= 3);
            List<WireEvent> events = relax.events();
            assertThat(events)
                    .extracting(WireEvent::type)
                    .containsExactly("team_joined", "im_created", "channel_joined");
            assertThat(events.get(0).userUid()).isEqualTo(dana.id());
            assertThat(events.get(0).eventTimestamp()).matches("\\d{19}");
            assertThat(events.get(1).channelUid()).isEqualTo(danaDm.id());
            assertThat(events.get(1).im()).isTrue();
            assertThat(events.get(2).channelUid()).isEqualTo(deploys.id());
            assertThat(events.get(2).timestamp()).matches("channel-joined-\\d+-" + deploys.id());
        }
    }

    @Test
    void eventsOfOneTeamKeepSlacksOrder(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            awaitConnected(slack, t);

            for (int i = 0; i < 300; i++) {
                t.ws().as(i % 2 == 0 ? t.alice() : t.bob()).post(t.general(), "n" + i);
            }

            await().atMost(WAIT).until(() -> relax.events().size() >= 300);
            assertThat(relax.events())
                    .extracting(WireEvent::text)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 300)
                            .mapToObj(i -> "n" + i)
                            .toList());
        }
    }

    @Test
    void namespacedBotsInOneTeamEachGetTheirOwnEvent(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        Bot other = t.ws().bot("xoxb-" + t.ws().id() + "-support", "USUP" + t.ws().id(), "supportbot");
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            relax.register(t.bot());
            relax.register(other, "support");
            await().atMost(WAIT).until(() -> t.ws().openConnections() == 2);

            t.ws().as(t.alice()).post(t.general(), "hello both");

            await().atMost(WAIT).until(() -> relax.events().size() >= 2);
            assertThat(relax.events()).extracting(WireEvent::namespace).containsExactlyInAnyOrder("", "support");
            assertThat(relax.events())
                    .extracting(WireEvent::relaxBotUid)
                    .containsExactlyInAnyOrder(t.bot().userId(), other.userId());
        }
    }

    @Test
    void mentionsAndDmsFilterDropsOtherChannelMessages(SlackSimulator slack, EmbeddedRedis redis) {
        Team t = team(slack);
        try (TestBroker relax = TestBroker.builder(slack, redis)
                .options(TestBroker.testOptions()
                        .mutate()
                        .mentionsAndDmsOnly(true)
                        .build())
                .start()) {
            relax.register(t.bot());
            awaitConnected(slack, t);

            t.ws().as(t.alice()).post(t.general(), "chatter nobody asked about");
            t.ws().as(t.alice()).mention(t.bot(), t.general(), "status please");
            t.ws().as(t.alice()).post(t.dm(), "a direct question");
            t.ws().as(t.alice()).react(t.general(), t.ws().as(t.bob()).post(t.general(), "more chatter"), "eyes");

            await().atMost(WAIT).until(() -> relax.events().size() >= 3);
            assertThat(relax.events())
                    .extracting(e -> e.type() + ":" + e.text())
                    .containsExactly(
                            "message_new:<@" + t.bot().userId() + "> status please",
                            "message_new:a direct question",
                            "reaction_added:eyes");
        }
    }
}
