/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.neovisionaries.ws.client.WebSocket;
import com.neovisionaries.ws.client.WebSocketAdapter;
import com.neovisionaries.ws.client.WebSocketException;
import com.neovisionaries.ws.client.WebSocketFactory;
import com.neovisionaries.ws.client.WebSocketFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A websocket client on nv-websocket-client (the library the broker uses) that records every text frame
 * it receives and how the connection ended.
 */
final class RecordingWebSocket implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WebSocket socket;
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private volatile boolean disconnected;
    /** When set, every Socket Mode envelope is acknowledged as soon as it arrives. */
    private volatile boolean autoAck;
    /** The server's close frame, or null when the connection ended without one. */
    private volatile WebSocketFrame serverCloseFrame;

    private RecordingWebSocket(String url) throws IOException {
        socket = new WebSocketFactory().setConnectionTimeout(5_000).createSocket(url);
        socket.addListener(new WebSocketAdapter() {
            @Override
            public void onTextMessage(WebSocket websocket, String text) {
                frames.add(text);
                JsonNode frame = parse(text);
                if (autoAck && frame.hasNonNull("envelope_id")) {
                    websocket.sendText(
                            "{\"envelope_id\":\"" + frame.get("envelope_id").asText() + "\"}");
                }
            }

            @Override
            public void onDisconnected(
                    WebSocket websocket, WebSocketFrame server, WebSocketFrame client, boolean closedByServer) {
                serverCloseFrame = server;
                disconnected = true;
            }
        });
    }

    /** Connects, failing the test when the upgrade is refused. */
    static RecordingWebSocket connect(String url) {
        try {
            RecordingWebSocket client = new RecordingWebSocket(url);
            client.socket.connect();
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (WebSocketException e) {
            throw new AssertionError("cannot connect to " + url + ": " + e.getMessage(), e);
        }
    }

    /** Tries to connect and returns the failure (for refused upgrades), or null when it connected. */
    static WebSocketException tryConnect(String url) {
        try {
            RecordingWebSocket client = new RecordingWebSocket(url);
            client.socket.connect();
            client.close();
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (WebSocketException e) {
            return e;
        }
    }

    /** Opens an RTM connection for a bot token and waits for {@code hello}. */
    static RecordingWebSocket rtm(SlackApi api, String token) {
        RecordingWebSocket client = connect(api.rtmUrl(token));
        client.awaitFrame("hello");
        return client;
    }

    /** Opens a Socket Mode connection for an app-level token and waits for {@code hello}. */
    static RecordingWebSocket socketMode(SlackApi api, String appToken) {
        RecordingWebSocket client = connect(api.socketModeUrl(appToken));
        client.awaitFrame("hello");
        return client;
    }

    /** Acknowledges every envelope from now on. */
    RecordingWebSocket autoAck() {
        autoAck = true;
        return this;
    }

    void send(String text) {
        socket.sendText(text);
    }

    List<JsonNode> frames() {
        return frames.stream().map(RecordingWebSocket::parse).toList();
    }

    List<JsonNode> frames(String type) {
        return frames().stream()
                .filter(f -> f.path("type").asText().equals(type))
                .toList();
    }

    /** The first frame matching all {@code fields} (name to text value), waiting up to {@link #WAIT}. */
    JsonNode awaitFrame(Map<String, String> fields) {
        return await().atMost(WAIT)
                .until(
                        () -> frames().stream()
                                .filter(frame -> fields.entrySet().stream()
                                        .allMatch(e ->
                                                frame.path(e.getKey()).asText().equals(e.getValue())))
                                .findFirst()
                                .orElse(null),
                        frame -> frame != null);
    }

    JsonNode awaitFrame(String type) {
        return awaitFrame(Map.of("type", type));
    }

    /** Waits until the server ended the connection. */
    void awaitDisconnected() {
        await().atMost(WAIT).until(() -> disconnected);
    }

    boolean disconnected() {
        return disconnected;
    }

    WebSocketFrame serverCloseFrame() {
        return serverCloseFrame;
    }

    @Override
    public void close() {
        socket.disconnect();
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return MAPPER.missingNode();
        }
    }
}
