/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.protocol.AppRegistration;
import dev.relax.examples.relay.SampleBackend;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A relay stopped past its stop timeout leaves the answers under way to the next instance at once. */
class RelayStopIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    /** Well under the lease: the next instance answers within it only if the stopped one released the claim. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final Duration LEASE = Duration.ofSeconds(60);

    @Test
    void anAnswerWaitingOnSlackWhenTheRelayStopsIsReleasedAndCompletedByTheNextInstance(
            SlackSimulator slack, EmbeddedRedis redis) {
        App app = slack.app("ARST1").appToken("xapp-1-ARST1-secret");
        Workspace ws = slack.workspace("TRST1");
        Bot bot = app.install(ws, "xoxb-RST1", "UBRST1");
        User alice = ws.user("UARST1", "alice");
        Channel general = ws.channel("CRST1", "general");
        try (TestBroker broker = TestBroker.builder(slack, redis)
                        .config(c -> c.keysWithPrefix("stop1"))
                        .start();
                SampleBackend backend =
                        SampleBackend.builder().chunkDelay(Duration.ofMillis(5)).start()) {
            broker.addInstallation(app.id(), bot);
            broker.client()
                    .registerApp(AppRegistration.socketMode(app.id(), "xapp-1-ARST1-secret")
                            .withConnections(1));
            await().atMost(WAIT).until(() -> app.openConnections() == 1);
            RelaySettings settings = RelaySettings.defaults(BackendSettings.defaults(backend.url()))
                    .withLease(LEASE)
                    .withStopTimeout(Duration.ofMillis(200));
            String question = "why is the build red";
            String keys =
                    broker.config().eventsQueue() + ":relay:{" + app.id() + ":" + ws.id() + ":" + general.id() + ":";
            Relay first = Relay.start(broker.client(), settings);
            // The backend answers at once; Slack is slow to confirm the end of the stream, so the handler is
            // waiting for it when the relay stops. (Not longer: the channel's later calls wait behind it.)
            slack.slowAnswers("chat.stopStream", Duration.ofSeconds(5));
            try {
                String ts = ws.as(alice).mention(bot, general, question);
                await().atMost(WAIT)
                        .until(() ->
                                !slack.recordings().apiCalls("chat.stopStream").isEmpty());

                first.close();

                assertThat(broker.redis().exists(keys + ts + "}:claim")).isZero();
                assertThat(broker.redis().exists(keys + ts + "}:answered")).isZero();
                assertThat(broker.redis().get(keys + ts + "}:message")).isNotNull();
            } finally {
                slack.slowAnswers("chat.stopStream", Duration.ZERO);
            }

            try (Relay next = Relay.start(broker.client(), settings)) {
                await().atMost(WAIT).until(() -> next.questionsDone() == 1);
                assertThat(ws.history(general).stream()
                                .filter(m -> m.user().equals(bot.userId()))
                                .toList())
                        .singleElement()
                        .satisfies(m -> assertThat(m.text()).isEqualTo(SampleBackend.answerTo(question)));
                assertThat(backend.requests()).hasSize(2);
            }
        }
    }
}
