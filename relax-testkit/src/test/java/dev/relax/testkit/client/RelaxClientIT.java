/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relax.client.EventConsumer;
import dev.relax.client.RelaxClient;
import dev.relax.core.event.MessageNew;
import dev.relax.core.event.ReactionAdded;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.event.UnknownEvent;
import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client API end to end: Slack → broker → Redis → typed callback, and back. */
class RelaxClientIT {
    @RegisterExtension
    final SlackSimulatorExtension slack = SlackSimulatorExtension.create().withBroker();

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void slackMessageReachesItsTypedCallback(SlackSimulator sim, RelaxClient relax) {
        Workspace ws = sim.workspace("TCL1");
        User alice = ws.user("UCL1", "alice");
        Channel general = ws.channel("CCL1", "general");
        Bot bot = ws.bot("xoxb-cl-1", "UBOTCL1", "relaxbot");
        List<MessageNew> messages = new CopyOnWriteArrayList<>();
        List<ReactionAdded> reactions = new CopyOnWriteArrayList<>();
        EventConsumer consumer = relax.consumer()
                .on(MessageNew.class, messages::add)
                .on(ReactionAdded.class, reactions::add)
                .start();
        try {
            relax.startBot("TCL1", bot.token().reveal());
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);

            String ts = ws.as(alice).mention(bot, general, "deploy?");
            ws.as(alice).react(general, ts, "eyes");

            await().atMost(WAIT).until(() -> messages.size() == 1 && reactions.size() == 1);
            MessageNew m = messages.get(0);
            assertThat(m.text()).isEqualTo("<@UBOTCL1> deploy?");
            assertThat(m.mentionsBot()).isTrue();
            assertThat(m.userUid()).isEqualTo("UCL1");
            assertThat(m.ts()).isEqualTo(ts);
            assertThat(reactions.get(0).reaction()).isEqualTo("eyes");
            assertThat(reactions.get(0).itemTs()).isEqualTo(ts);
        } finally {
            consumer.stop(WAIT);
        }
    }

    @Test
    void startBotIsSeenByARunningBrokerAndStopBotStopsIt(SlackSimulator sim, RelaxClient relax, TestBroker broker) {
        Workspace ws = sim.workspace("TCL2");
        Bot bot = ws.bot("xoxb-cl-2-secret", "UBOTCL2", "relaxbot");

        relax.startBot(BotRegistration.of("TCL2", bot.token().reveal()).withNamespace("support"));
        await().atMost(WAIT).until(() -> ws.openConnections() == 1);
        assertThat(relax.bots()).extracting(BotRegistration::hashField).containsExactly("support-TCL2");
        assertThat(relax.bots().toString()).doesNotContain("secret");
        assertThat(broker.redis().hget(broker.config().botsKey(), "support-TCL2"))
                .contains("xoxb-cl-2-secret");

        relax.stopBot(new BotId("TCL2", "support"));

        await().atMost(WAIT).until(() -> ws.openConnections() == 0);
        assertThat(relax.bots()).isEmpty();
    }

    @Test
    void sendMessageIsPostedByTheBotsSocket(SlackSimulator sim, RelaxClient relax) {
        Workspace ws = sim.workspace("TCL3");
        Channel general = ws.channel("CCL3", "general");
        Bot bot = ws.bot("xoxb-cl-3", "UBOTCL3", "relaxbot");
        relax.startBot("TCL3", bot.token().reveal());
        await().atMost(WAIT).until(() -> ws.openConnections() == 1);

        String id = relax.sendMessage("TCL3", general.id(), "hello \"world\"\nsecond line");
        relax.sendTyping(BotId.of("TCL3"), general.id());

        assertThat(id).isNotBlank();
        await().atMost(WAIT)
                .until(() -> sim.recordings()
                                .connections("TCL3")
                                .get(0)
                                .sent("message")
                                .size()
                        == 1);
        var frame = sim.recordings()
                .connections("TCL3")
                .get(0)
                .sent("message")
                .get(0)
                .json();
        assertThat(frame.get("channel").asText()).isEqualTo(general.id());
        assertThat(frame.get("text").asText()).isEqualTo("hello \"world\"\nsecond line");
        assertThat(frame.get("id").isInt()).isTrue();
        await().atMost(WAIT).until(() -> !sim.recordings()
                .connections("TCL3")
                .get(0)
                .sent("typing")
                .isEmpty());
    }

    @Test
    void invalidArgumentsFailFastNamingTheArgument(RelaxClient relax) {
        assertThatThrownBy(() -> relax.startBot("", "xoxb-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("teamId must not be empty");
        assertThatThrownBy(() -> relax.startBot("T1", " ")).hasMessage("token must not be empty");
        assertThatThrownBy(() -> relax.sendMessage("T1", "", "hi")).hasMessage("channel must not be empty");
        assertThatThrownBy(() -> relax.sendMessage("T1", "C1", "")).hasMessage("text must not be empty");
        assertThatThrownBy(() -> relax.stopBot((String) null)).hasMessage("teamId must not be empty");
        assertThatThrownBy(() -> relax.consumer().start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("register at least one handler");
        assertThatThrownBy(() -> relax.consumer().concurrency(0))
                .hasMessageContaining("concurrency must be at least 1");
    }

    @Test
    void eventOfANewerTypeReachesTheCatchAllWhole(RelaxClient relax, TestBroker broker) {
        List<RelaxEvent> any = new CopyOnWriteArrayList<>();
        EventConsumer consumer =
                relax.consumer().on(MessageNew.class, m -> {}).onAny(any::add).start();
        try {
            broker.redis()
                    .rpush(
                            broker.config().eventsQueue(),
                            "{\"type\":\"app_home_opened\",\"user_uid\":\"U1\",\"team_uid\":\"T1\",\"payload\":{\"tab\":\"home\"}}");

            await().atMost(WAIT).until(() -> any.size() == 1);
            assertThat(any.get(0)).isInstanceOf(UnknownEvent.class);
            assertThat(any.get(0).wire().extraJson()).containsEntry("payload", "{\"tab\":\"home\"}");
        } finally {
            consumer.stop(WAIT);
        }
    }
}
