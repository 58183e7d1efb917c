/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.broker.internal.slack.JdkWebSocketTransport;
import dev.relax.broker.internal.slack.WebSocketTransport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK websocket transport on its own, against the simulator's RTM endpoint: the edge cases the
 * broker relies on because every socket shares one selector thread.
 */
class JdkWebSocketTransportIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private SlackSimulator slack;
    private SlackApi api;
    private Workspace ws;
    private JdkWebSocketTransport transport;

    @BeforeEach
    void start() {
        slack = SlackSimulator.start();
        api = new SlackApi(slack);
        ws = slack.workspace("TJWT");
        ws.bot("xoxb-jwt", "UJWT", "relaxbot");
        transport = new JdkWebSocketTransport(5_000);
    }

    @AfterEach
    void stop() {
        transport.close();
        api.close();
        slack.close();
    }

    @Test
    void aListenerThatThrowsDoesNotCostTheSocket() throws Exception {
        TransportRecorder listener = new TransportRecorder();
        listener.throwOn = "\"boom\"";
        WebSocketTransport.Connection connection = transport.connect(URI.create(api.rtmUrl("xoxb-jwt")), listener);
        await().atMost(WAIT).until(() -> listener.texts.stream().anyMatch(t -> t.contains("hello")));

        ws.sendRaw("{\"type\":\"boom\"}");
        ws.sendRaw("{\"type\":\"after\"}");

        await().atMost(WAIT).until(() -> listener.texts.stream().anyMatch(t -> t.contains("after")));
        assertThat(listener.closes).isEmpty();
        assertThat(connection.sendText("{\"id\":1,\"type\":\"ping\"}")).isTrue();
        await().atMost(WAIT).until(() -> listener.texts.stream().anyMatch(t -> t.contains("\"pong\"")));
    }

    @Test
    void aDroppedSocketIsReportedOnceAndRefusesFurtherSends() throws Exception {
        TransportRecorder listener = new TransportRecorder();
        WebSocketTransport.Connection connection = transport.connect(URI.create(api.rtmUrl("xoxb-jwt")), listener);
        await().atMost(WAIT).until(() -> listener.texts.stream().anyMatch(t -> t.contains("hello")));

        ws.dropSockets();

        await().atMost(WAIT).until(() -> !listener.closes.isEmpty());
        // Sends after the drop either are refused or fail and are reported: never a second close.
        for (int i = 0; i < 50; i++) {
            connection.sendText("{\"id\":" + i + ",\"type\":\"ping\"}");
        }
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> listener.closes.size() == 1);
        await().atMost(WAIT).until(() -> !connection.sendText("{\"type\":\"ping\"}"));
    }

    @Test
    void ourCloseEndsWithTheCodeWeSentReportedOnce() throws Exception {
        TransportRecorder listener = new TransportRecorder();
        WebSocketTransport.Connection connection = transport.connect(URI.create(api.rtmUrl("xoxb-jwt")), listener);
        await().atMost(WAIT).until(() -> listener.texts.stream().anyMatch(t -> t.contains("hello")));

        connection.close(1000, "bye");

        await().atMost(WAIT).until(() -> !listener.closes.isEmpty());
        await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> listener.closes.equals(List.of(1000)));
        assertThat(slack.recordings().connections("TJWT").get(0).closeCode()).isEqualTo(1000);
    }
}
