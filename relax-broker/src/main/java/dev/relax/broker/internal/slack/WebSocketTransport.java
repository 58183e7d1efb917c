/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import java.io.IOException;
import java.net.URI;

/**
 * The websocket library, behind the six operations the broker needs: {@link NettyWebSocketTransport} (the
 * default for RTM), {@link NvWebSocketTransport} (for Socket Mode) and {@link JdkWebSocketTransport},
 * chosen by {@code RELAX_WEBSOCKET}.
 */
public interface WebSocketTransport extends AutoCloseable {

    /** Opens a socket to {@code uri}; blocks for the handshake. Events go to {@code listener}. */
    Connection connect(URI uri, Listener listener) throws IOException;

    @Override
    default void close() {}

    /** One open socket. */
    interface Connection {
        /** Queues a text frame; false when the socket is no longer open. */
        boolean sendText(String text);

        /** Sends a close frame with {@code code} and closes. */
        void close(int code, String reason);

        /** Sends a websocket ping frame; false when the socket is closed or the library cannot ping. */
        default boolean sendPing() {
            return false;
        }
    }

    /**
     * Receives a socket's events, on the library's reading thread, which may be shared by every socket
     * (the JDK's selector thread): implementations must not block.
     */
    interface Listener {
        void onText(String text);

        /** The socket closed: {@code code} from the peer's close frame, 1006 when there was none. */
        void onClosed(int code, String reason);

        /** The peer answered a ping. */
        default void onPong() {}
    }
}
