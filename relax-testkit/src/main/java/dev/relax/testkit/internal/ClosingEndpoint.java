/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the RTM and Socket Mode endpoints share: a close or an error ends the connection once, removes
 * it from its owner (team or app) and records it.
 */
public abstract class ClosingEndpoint implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(ClosingEndpoint.class);

    /** Set when the socket opens; read by Jetty's threads. */
    protected volatile SocketConnection connection;

    /** Removes the closed socket from the team or app that held it. */
    protected abstract void forget(SocketConnection socket);

    /** The recorder that notes the close. */
    protected abstract Recorder recorder();

    @Override
    public final void onWebSocketClose(int statusCode, String reason) {
        closed(statusCode);
    }

    @Override
    public final void onWebSocketError(Throwable cause) {
        LOG.debug("connection={} failed", connection == null ? "-" : connection.id(), cause);
        closed(StatusCode.ABNORMAL);
    }

    private void closed(int statusCode) {
        SocketConnection socket = connection;
        if (socket != null && socket.markClosed(statusCode)) {
            forget(socket);
            recorder().closed(socket);
            LOG.debug("connection={} closed code={}", socket.id(), statusCode);
        }
    }
}
