/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.neovisionaries.ws.client.WebSocket;
import com.neovisionaries.ws.client.WebSocketAdapter;
import com.neovisionaries.ws.client.WebSocketException;
import com.neovisionaries.ws.client.WebSocketFactory;
import com.neovisionaries.ws.client.WebSocketFrame;
import java.io.IOException;
import java.net.URI;

/** {@link WebSocketTransport} over nv-websocket-client: the only class that sees that library. */
public final class NvWebSocketTransport implements WebSocketTransport {
    private final WebSocketFactory factory;

    public NvWebSocketTransport(int connectTimeoutMillis) {
        // The socket timeout bounds the upgrade handshake too (a peer that accepts TCP and never answers
        // would otherwise hold a login slot forever); it is lifted once the socket is open.
        this.factory = new WebSocketFactory()
                .setConnectionTimeout(connectTimeoutMillis)
                .setSocketTimeout(connectTimeoutMillis);
    }

    @Override
    public Connection connect(URI uri, Listener listener) throws IOException {
        WebSocket ws = factory.createSocket(uri);
        ws.setMissingCloseFrameAllowed(true);
        ws.addListener(new WebSocketAdapter() {
            @Override
            public void onTextMessage(WebSocket websocket, String text) {
                listener.onText(text);
            }

            @Override
            public void onPongFrame(WebSocket websocket, WebSocketFrame frame) {
                listener.onPong();
            }

            @Override
            public void onDisconnected(
                    WebSocket websocket,
                    WebSocketFrame serverCloseFrame,
                    WebSocketFrame clientCloseFrame,
                    boolean closedByServer) {
                if (serverCloseFrame != null) {
                    listener.onClosed(serverCloseFrame.getCloseCode(), nullToEmpty(serverCloseFrame.getCloseReason()));
                } else {
                    listener.onClosed(1006, "closed without a close frame");
                }
            }
        });
        try {
            ws.connect();
            ws.getSocket().setSoTimeout(0);
        } catch (WebSocketException e) {
            throw new IOException(
                    "websocket handshake with " + uri.getHost() + ":" + uri.getPort() + " failed: " + e.getMessage(),
                    e);
        }
        return new Connection() {
            @Override
            public boolean sendText(String text) {
                if (!ws.isOpen()) {
                    return false;
                }
                ws.sendText(text);
                return true;
            }

            @Override
            public void close(int code, String reason) {
                ws.disconnect(code, reason, 1000);
            }

            @Override
            public boolean sendPing() {
                if (!ws.isOpen()) {
                    return false;
                }
                ws.sendPing();
                return true;
            }
        };
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
