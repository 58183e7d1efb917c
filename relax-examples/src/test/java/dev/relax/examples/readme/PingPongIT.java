/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.client.EventConsumer;
import dev.relax.client.RelaxClient;
import dev.relax.core.event.MessageNew;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PingPongIT {
    @RegisterExtension
    final SlackSimulatorExtension extension = SlackSimulatorExtension.create().withBroker();

    @Test
    void answersAMentionedPingWithPong(SlackSimulator slack, TestBroker broker) {
        Workspace ws = slack.workspace("T1");
        User alice = ws.user("U1", "alice");
        Channel general = ws.channel("C1", "general");
        Bot bot = ws.bot("xoxb-test", "UBOT", "pongbot");

        // A client for the test broker: its Redis and its key names. Closed with the broker.
        RelaxClient relax = broker.client();
        try (EventConsumer consumer = relax.consumer() // your bot's code goes here
                .on(MessageNew.class, m -> {
                    if (m.mentionsBot() && m.text().endsWith("ping")) {
                        relax.reply(m, "pong");
                    }
                })
                .start()) {
            broker.register(bot); // HSET + PUBLISH team_added: the broker opens the bot's RTM socket
            await().atMost(Duration.ofSeconds(10)).until(() -> ws.openConnections() == 1);

            ws.as(alice).mention(bot, general, "ping");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ws.history(general))
                    .filteredOn(message -> message.user().equals("UBOT"))
                    .extracting(message -> message.text())
                    .containsExactly("pong"));
        }
    }
}
