/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory {@link WebSocketTransport}: records every socket opened, what was sent on it and how it
 * was closed; the test plays Slack through {@link FakeSocket#receive} and {@link FakeSocket#drop}.
 */
public final class FakeTransport implements WebSocketTransport {
    public final List<FakeSocket> sockets = new CopyOnWriteArrayList<>();
    /** Text frames each new socket receives inside connect(), as nv-websocket-client can deliver them. */
    public volatile List<String> onConnect = List.of();
    /** When set, the next connect fails with it. */
    volatile IOException failNext;

    @Override
    public Connection connect(URI uri, Listener listener) throws IOException {
        if (failNext != null) {
            IOException e = failNext;
            failNext = null;
            throw e;
        }
        FakeSocket s = new FakeSocket(uri, listener);
        sockets.add(s);
        onConnect.forEach(listener::onText);
        return s;
    }

    public FakeSocket socket(int i) {
        return sockets.get(i);
    }

    /** One socket: what the broker sent on it, and Slack's side of it. */
    public static final class FakeSocket implements Connection {
        final URI uri;
        final Listener listener;
        public final List<String> sent = new ArrayList<>();
        int pings;
        /** The close code the broker sent, 0 while it sent none. */
        public int closeCode;

        boolean open = true;

        FakeSocket(URI uri, Listener listener) {
            this.uri = uri;
            this.listener = listener;
        }

        /** Slack sends a text frame. */
        public void receive(String text) {
            listener.onText(text);
        }

        /** The connection drops without a close frame. */
        public void drop() {
            open = false;
            listener.onClosed(1006, "dropped");
        }

        @Override
        public synchronized boolean sendText(String text) {
            if (!open) {
                return false;
            }
            sent.add(text);
            return true;
        }

        @Override
        public synchronized boolean sendPing() {
            pings++;
            return open;
        }

        @Override
        public void close(int code, String reason) {
            boolean wasOpen;
            synchronized (this) {
                wasOpen = open;
                open = false;
                closeCode = code;
            }
            if (wasOpen) {
                listener.onClosed(code, reason);
            }
        }
    }
}
