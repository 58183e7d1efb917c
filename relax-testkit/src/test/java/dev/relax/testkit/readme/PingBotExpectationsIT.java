/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.client.EventConsumer;
import dev.relax.client.RelaxClient;
import dev.relax.core.event.MessageNew;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PingBotExpectationsIT {
    // static: one simulator, Redis and broker for the whole class; reset() clears recordings between tests
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withBroker();

    @BeforeEach
    void clearRecordings(SlackSimulator slack) {
        slack.reset();
    }

    @Test
    void rtmBotAnswersPing(SlackSimulator slack, TestBroker broker, RelaxClient relax) {
        Workspace ws = slack.workspace("T1"); // each test its own team ids: the class shares one simulator
        User alice = ws.user("U1", "alice");
        Bot bot = ws.bot("xoxb-1", "UBOT", "pingbot");
        Channel general = ws.channel("C1", "general");
        broker.register(bot);
        slack.awaitConnections("T1", 1, Duration.ofSeconds(10));

        try (EventConsumer consumer = relax.consumer()
                .on(MessageNew.class, m -> {
                    if (m.mentionsBot() && m.text().endsWith("ping")) {
                        relax.reply(m, "pong");
                    }
                })
                .start()) {
            ws.as(alice).mention(bot, general, "ping");

            assertThat(slack.awaitMessage(bot, general, Duration.ofSeconds(10)).text())
                    .isEqualTo("pong");
        }
    }

    @Test
    void slackAppAnswersPing(SlackSimulator slack, TestBroker broker, RelaxClient relax) {
        Workspace ws = slack.workspace("T2");
        User alice = ws.user("U2", "alice");
        App app = slack.app("A2").appToken("xapp-2");
        Bot bot = app.install(ws, "xoxb-2", "UAPP2");
        Channel general = ws.channel("C2", "general");
        broker.register(app); // registerApp + addInstallation for each workspace the app is in
        slack.awaitConnections("A2", 2, Duration.ofSeconds(10)); // Socket Mode: 2 sockets by default

        try (EventConsumer consumer = relax.consumer()
                .on(MessageNew.class, m -> relax.reply(m, "pong"))
                .start()) {
            ws.as(alice).mention(bot, general, "ping");

            ApiCall call = slack.awaitCall("chat.postMessage", Duration.ofSeconds(10));
            assertThat(call.arg("channel")).isEqualTo("C2");
            assertThat(slack.awaitMessage(bot, general, Duration.ofSeconds(10)).text())
                    .isEqualTo("pong");
        }
    }
}
