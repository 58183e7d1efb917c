/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.client.CallResult;
import dev.relax.client.RelaxClient;
import dev.relax.client.SlackCall;
import dev.relax.client.WebApiCall;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TcpProxy;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.Workspace;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker's own retries: Slack may have made an attempt that failed after the request left (an HTTP 5xx,
 * a connection cut before the answer), so only a method that is harmless to repeat is tried again; a post
 * ends with outcome_unknown. A request that never left (no connection) is always tried again.
 */
class CallsUnknownOutcomeIT {
    @RegisterExtension
    final SlackSimulatorExtension slack = SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void postAnsweredWithAServerErrorIsNotPostedAgainAndItsOutcomeIsUnknown(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TUO1");
        Channel general = ws.channel("CUO1", "general");
        Bot bot = sim.app("AUO1").install(ws, "xoxb-uo1", "UUO1");
        try (TestBroker broker = TestBroker.start(sim, redis)) {
            broker.addInstallation("AUO1", bot);
            sim.serverErrors("chat.postMessage", 1);

            CallResult result = broker.client()
                    .postMessage("AUO1", "TUO1", general.id(), "maybe posted")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(List.of(result.ok(), result.error(), result.attempts()))
                    .as(result.toString())
                    .containsExactly(false, "outcome_unknown", 1);
            assertThat(result.responseJson()).contains("\"error\":\"internal_error\"");
            assertThat(sim.recordings().apiCalls("chat.postMessage"))
                    .extracting(ApiCall::status)
                    .containsExactly(500);
            assertThat(broker.metrics().count("relax_calls_retried_total")).isZero();
        }
    }

    @Test
    void postWhoseConnectionBreaksAfterItWasSentIsNotPostedAgain(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TUO2");
        Channel general = ws.channel("CUO2", "general");
        Bot bot = sim.app("AUO2").install(ws, "xoxb-uo2", "UUO2");
        try (TcpProxy toSlack = proxyTo(sim);
                TestBroker broker = TestBroker.builder(sim, redis)
                        .config(c -> c.slackHost("http://127.0.0.1:" + toSlack.port()))
                        .start()) {
            broker.addInstallation("AUO2", bot);
            sim.slowAnswers("chat.postMessage", Duration.ofSeconds(3));
            SlackCall post = broker.client().postMessage("AUO2", "TUO2", general.id(), "posted, answer lost");
            await().atMost(WAIT)
                    .until(() -> !sim.recordings().apiCalls("chat.postMessage").isEmpty());

            toSlack.dropConnections();

            CallResult result = post.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(List.of(result.ok(), result.error(), result.attempts()))
                    .as(result.toString())
                    .containsExactly(false, "outcome_unknown", 1);
            assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("posted, answer lost");
            assertThat(sim.recordings().apiCalls("chat.postMessage")).hasSize(1);
        }
    }

    @Test
    void updateWhoseConnectionBreaksAfterItWasSentIsMadeAgain(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = sim.workspace("TUO3");
        Channel general = ws.channel("CUO3", "general");
        Bot bot = sim.app("AUO3").install(ws, "xoxb-uo3", "UUO3");
        try (TcpProxy toSlack = proxyTo(sim);
                TestBroker broker = TestBroker.builder(sim, redis)
                        .config(c -> c.slackHost("http://127.0.0.1:" + toSlack.port()))
                        .start()) {
            broker.addInstallation("AUO3", bot);
            RelaxClient relax = broker.client();
            CallResult posted = relax.postMessage("AUO3", "TUO3", general.id(), "v1")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            sim.slowAnswers("chat.update", Duration.ofSeconds(3));
            SlackCall update = relax.call(WebApiCall.update("AUO3", "TUO3", general.id(), posted.ts())
                    .text("v2")
                    .build());
            await().atMost(WAIT)
                    .until(() -> !sim.recordings().apiCalls("chat.update").isEmpty());

            sim.slowAnswers("chat.update", Duration.ZERO);
            toSlack.dropConnections();

            CallResult result = update.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(List.of(result.ok(), result.attempts()))
                    .as(result.toString())
                    .containsExactly(true, 2);
            assertThat(ws.history(general)).extracting(ChannelMessage::text).containsExactly("v2");
            assertThat(sim.recordings().apiCalls("chat.update")).hasSize(2);
        }
    }

    /** No connection, no request: a post is tried again as often as allowed, and ends with network_error. */
    @Test
    void postThatNeverReachesSlackIsTriedAgain(SlackSimulator sim, EmbeddedRedis redis) throws Exception {
        Workspace ws = sim.workspace("TUO4");
        Channel general = ws.channel("CUO4", "general");
        Bot bot = sim.app("AUO4").install(ws, "xoxb-uo4", "UUO4");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TestBroker broker = TestBroker.builder(sim, redis)
                .config(c -> c.slackHost("http://127.0.0.1:" + closedPort))
                .options(o -> o.callMaxAttempts(3))
                .start()) {
            broker.addInstallation("AUO4", bot);

            CallResult result = broker.client()
                    .postMessage("AUO4", "TUO4", general.id(), "nowhere to go")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(List.of(result.ok(), result.error(), result.attempts()))
                    .as(result.toString())
                    .containsExactly(false, "network_error", 3);
            assertThat(broker.metrics().count("relax_calls_retried_total")).isEqualTo(2);
        }
    }

    private static TcpProxy proxyTo(SlackSimulator sim) {
        URI slack = URI.create(sim.baseUrl());
        return TcpProxy.start(slack.getHost(), slack.getPort());
    }
}
