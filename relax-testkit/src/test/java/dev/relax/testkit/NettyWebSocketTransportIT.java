/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relax.broker.internal.slack.NettyWebSocketTransport;
import dev.relax.broker.internal.slack.WebSocketTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Netty websocket transport on its own, against the simulator's RTM endpoint and a raw peer: what the
 * broker relies on from every transport (see {@link JdkWebSocketTransportIT}), and the handshake's failures.
 */
class NettyWebSocketTransportIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private SlackSimulator slack;
    private SlackApi api;
    private Workspace ws;
    private NettyWebSocketTransport transport;

    @BeforeEach
    void start() {
        slack = SlackSimulator.start();
        api = new SlackApi(slack);
        ws = slack.workspace("TNWT");
        ws.bot("xoxb-nwt", "UNWT", "relaxbot");
        transport = new NettyWebSocketTransport(5_000);
    }

    @AfterEach
    void stop() {
        transport.close();
        api.close();
        slack.close();
    }

    private WebSocketTransport.Connection connect(TransportRecorder listener) throws IOException {
        WebSocketTransport.Connection connection = transport.connect(URI.create(api.rtmUrl("xoxb-nwt")), listener);
        await().atMost(WAIT).until(() -> listener.texts.stream().anyMatch(t -> t.contains("hello")));
        return connection;
    }

    @Test
    void aListenerThatThrowsDoesNotCostTheSocket() throws Exception {
        TransportRecorder listener = new TransportRecorder();
        listener.throwOn = "\"boom\"";
        WebSocketTransport.Connection connection = connect(listener);

        ws.sendRaw("{\"type\":\"boom\"}");
        ws.sendRaw("{\"type\":\"after\"}");

        await().atMost(WAIT).until(() -> listener.texts.stream().anyMatch(t -> t.contains("after")));
        assertThat(listener.closes).isEmpty();
        assertThat(connection.sendText("{\"id\":1,\"type\":\"ping\"}")).isTrue();
        await().atMost(WAIT).until(() -> listener.texts.stream().anyMatch(t -> t.contains("\"pong\"")));
    }

    @Test
    void aMessageLargerThanManyReadsArrivesWhole() throws Exception {
        TransportRecorder listener = new TransportRecorder();
        connect(listener);
        String big = "{\"type\":\"big\",\"text\":\"" + "x".repeat(3 << 20) + "\"}"; // 3 MiB

        ws.sendRaw(big);

        await().atMost(WAIT).until(() -> listener.texts.contains(big));
        assertThat(listener.closes).isEmpty();
    }

    @Test
    void aDroppedSocketIsReportedOnceAndRefusesFurtherSends() throws Exception {
        TransportRecorder listener = new TransportRecorder();
        WebSocketTransport.Connection connection = connect(listener);

        ws.dropSockets();

        await().atMost(WAIT).until(() -> !listener.closes.isEmpty());
        for (int i = 0; i < 50; i++) {
            connection.sendText("{\"id\":" + i + ",\"type\":\"ping\"}");
        }
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> listener.closes.equals(List.of(1006)));
        assertThat(connection.sendText("{\"type\":\"ping\"}")).isFalse();
    }

    @Test
    void ourCloseEndsWithTheCodeWeSentReportedOnce() throws Exception {
        TransportRecorder listener = new TransportRecorder();
        WebSocketTransport.Connection connection = connect(listener);

        connection.close(1000, "bye");

        await().atMost(WAIT).until(() -> !listener.closes.isEmpty());
        await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> listener.closes.equals(List.of(1000)));
        assertThat(slack.recordings().connections("TNWT").get(0).closeCode()).isEqualTo(1000);
        assertThat(connection.sendText("{\"type\":\"ping\"}")).isFalse();
    }

    @Test
    void aRefusedUpgradeFailsTheConnect() {
        int port = URI.create(api.rtmUrl("xoxb-nwt")).getPort();
        URI notAWebSocket = URI.create("ws://127.0.0.1:" + port + "/no-such-path");

        assertThatThrownBy(() -> transport.connect(notAWebSocket, new TransportRecorder()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("websocket handshake with 127.0.0.1:" + port + " failed: ");
    }

    @Test
    void aPeerThatNeverAnswersTheUpgradeTimesOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                NettyWebSocketTransport quick = new NettyWebSocketTransport(300)) {
            URI uri = URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/silent");

            assertThatThrownBy(() -> quick.connect(uri, new TransportRecorder()))
                    .isInstanceOf(IOException.class)
                    .hasMessage("websocket handshake with 127.0.0.1:" + server.getLocalPort() + " timed out");
        }
    }

    @Test
    void aPeerThatStopsReadingIsDroppedInsteadOfQueueingForEver() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.startVirtualThread(() -> acceptAndStopReading(server, done));
            TransportRecorder listener = new TransportRecorder();
            WebSocketTransport.Connection connection =
                    transport.connect(URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/deaf"), listener);
            String frame = "x".repeat(1024);

            int sent = 0;
            while (sent < 200_000 && connection.sendText(frame)) {
                sent++;
            }

            assertThat(sent).isLessThan(200_000);
            await().atMost(WAIT).until(() -> listener.closes.equals(List.of(1006)));
            assertThat(listener.reasons.get(0)).startsWith("peer not reading");
        } finally {
            done.countDown();
        }
    }

    /** Answers one upgrade, then holds the socket open without reading a byte more. */
    private static void acceptAndStopReading(ServerSocket server, CountDownLatch done) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            StringBuilder request = new StringBuilder();
            while (!request.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                request.append((char) b);
            }
            Matcher key = Pattern.compile("(?i)sec-websocket-key: *(\\S+)").matcher(request);
            if (!key.find()) {
                return;
            }
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                            .getBytes(StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(sha1) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            done.await(); // the peer that stopped reading, until the test is over
        } catch (Exception e) {
            // the test has finished with it
        }
    }
}
