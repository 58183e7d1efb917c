/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.testkit.ConnectionKind;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Socket Mode websocket (https://api.slack.com/apis/socket-mode): {@code hello} with the number of
 * the app's connections and debug info on connect, acks ({@code {"envelope_id":"…"}}, optionally with a
 * {@code payload}) handed to the app's dispatcher. Beyond the app's connection limit the socket gets a
 * {@code disconnect} frame with reason {@code too_many_websockets} and is closed.
 */
public final class SocketModeEndpoint extends ClosingEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SocketModeEndpoint.class);

    private final SimulatorCore core;
    private final AppState app;
    private final Tokens.Grant grant;

    /** Set in {@link #onWebSocketOpen}; read by later callbacks of the same socket. */
    public SocketModeEndpoint(SimulatorCore core, AppState app, Tokens.Grant grant) {
        this.core = core;
        this.app = app;
        this.grant = grant;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        SocketConnection socket = new SocketConnection(
                core.ids().next("sm-"),
                ConnectionKind.SOCKET_MODE,
                "",
                app.id(),
                "",
                grant.token(),
                session,
                core.ids().clock(),
                core.settings().recordFrames(),
                () -> false);
        int count = app.socketMode().tryOpen(socket, core.settings().maxSocketModeConnections());
        if (count < 0) {
            socket.send(Json.write(disconnect("too_many_websockets")));
            socket.close(StatusCode.POLICY_VIOLATION, "too_many_websockets");
            return;
        }
        connection = socket;
        core.recorder().opened(socket);
        LOG.debug("app={} connection={} opened ({} open)", app.id(), socket.id(), count);
        ObjectNode hello = Json.object();
        hello.put("type", "hello");
        hello.put("num_connections", count);
        ObjectNode debug = hello.putObject("debug_info");
        debug.put("host", "applink-simulator");
        debug.put("build_number", 1);
        debug.put("approximate_connection_time", 18060);
        hello.putObject("connection_info").put("app_id", app.id());
        socket.send(Json.write(hello));
    }

    private static ObjectNode disconnect(String reason) {
        ObjectNode frame = Json.object();
        frame.put("type", "disconnect");
        frame.put("reason", reason);
        frame.putObject("debug_info").put("host", "applink-simulator");
        return frame;
    }

    /** Pongs as Jetty would by itself, except from a socket made quiet with {@code App.goSilent()}. */
    @Override
    public void onWebSocketPing(java.nio.ByteBuffer payload) {
        SocketConnection socket = connection;
        if (socket != null) {
            socket.pong(payload);
        }
    }

    @Override
    public void onWebSocketText(String text) {
        SocketConnection socket = connection;
        if (socket == null || socket.silent()) {
            return;
        }
        socket.recordSent(text);
        ObjectNode frame = Json.parseObject(text);
        if (frame != null && frame.hasNonNull("envelope_id")) {
            app.socketMode().ack(frame.get("envelope_id").asText(), frame.path("payload"));
        }
    }

    @Override
    protected void forget(SocketConnection socket) {
        app.socketMode().closed(socket);
    }

    @Override
    protected Recorder recorder() {
        return core.recorder();
    }
}
