/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.testkit.ConnectionKind;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTM websocket (https://api.slack.com/rtm): {@code hello} on connect, {@code pong} for each
 * {@code ping} (echoing its extra flat fields), an ack with the canonical {@code ts} for each message
 * the bot sends (the message itself goes to the team's other sockets and apps), {@code user_typing} for
 * {@code typing}, and error replies for what Slack rejects. Jetty calls it on its own threads, one
 * callback at a time per socket.
 */
public final class RtmEndpoint extends ClosingEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RtmEndpoint.class);

    /** "The message server will disconnect any client that sends a message longer than 16 kilobytes." */
    private static final int MAX_FRAME_BYTES = 16 * 1024;

    private static final String EXPIRED =
            "{\"type\":\"error\",\"error\":{\"code\":1,\"msg\":\"Socket URL has expired\"}}";

    private final SimulatorCore core;
    /** {@code null} when the URL was unknown, used or expired. */
    private final Tickets.Ticket ticket;

    /** Set in {@link #onWebSocketOpen}; read by later callbacks of the same socket. */
    private volatile TeamState team;

    private volatile Member bot;

    public RtmEndpoint(SimulatorCore core, Tickets.Ticket ticket) {
        this.core = core;
        this.ticket = ticket;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        if (ticket == null || ticket.grant().state() != Tokens.State.ACTIVE) {
            session.sendText(
                    EXPIRED, Callback.from(() -> session.close(StatusCode.NORMAL, "expired", Callback.NOOP), x -> {}));
            return;
        }
        Tokens.Grant grant = ticket.grant();
        team = core.team(grant.teamId());
        bot = team.member(grant.userId());
        connection = new SocketConnection(
                core.ids().next("rtm-"),
                ConnectionKind.RTM,
                team.id(),
                "",
                bot.id(),
                grant.token(),
                session,
                core.ids().clock(),
                core.settings().recordFrames(),
                team::silent);
        team.rtmConnections().add(connection);
        core.recorder().opened(connection);
        LOG.debug("team={} bot={} connection={} opened", team.id(), bot.id(), connection.id());
        connection.send("{\"type\":\"hello\"}");
    }

    @Override
    public void onWebSocketText(String text) {
        SocketConnection socket = connection;
        if (socket == null) {
            return;
        }
        socket.recordSent(text);
        if (text.length() * 3L > MAX_FRAME_BYTES && text.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
            socket.close(StatusCode.MESSAGE_TOO_LARGE, "message too long");
            return;
        }
        if (socket.silent()) {
            return;
        }
        ObjectNode frame = Json.parseObject(text);
        if (frame == null) {
            socket.send(error(null, 1, "invalid json"));
            return;
        }
        JsonNode id = frame.get("id");
        switch (Json.text(frame, "type")) {
            case "ping" -> socket.send(pong(frame));
            case "message" -> message(socket, frame, id);
            case "typing" -> core.conversations().typing(team, bot, Json.text(frame, "channel"), socket);
            default -> socket.send(error(id, 3, "unsupported type"));
        }
    }

    private void message(SocketConnection socket, ObjectNode frame, JsonNode id) {
        String text = Json.text(frame, "text");
        if (text.isEmpty()) {
            socket.send(error(id, 2, "message text is missing"));
            return;
        }
        ChannelInfo channel = team.channel(Json.text(frame, "channel"));
        if (channel == null) {
            socket.send(error(id, -1, "invalid channel id"));
            return;
        }
        MessageInfo message =
                core.conversations().post(team, bot, channel, text, Json.text(frame, "thread_ts"), null, null, socket);
        ObjectNode ack = Json.object();
        ack.put("ok", true);
        ack.set("reply_to", id);
        ack.put("ts", message.ts());
        ack.put("text", text);
        socket.send(Json.write(ack));
    }

    /**
     * {@code {"type":"pong","reply_to":id}} plus every other scalar field of the ping. A {@code reply_to} of
     * the ping is not echoed: the Go broker's pings carry an empty one and match the pong by its id.
     */
    private static String pong(ObjectNode ping) {
        ObjectNode pong = Json.object();
        pong.put("type", "pong");
        pong.set("reply_to", ping.get("id"));
        for (Map.Entry<String, JsonNode> field : ping.properties()) {
            if (!field.getKey().equals("type")
                    && !field.getKey().equals("id")
                    && !field.getKey().equals("reply_to")
                    && field.getValue().isValueNode()) {
                pong.set(field.getKey(), field.getValue());
            }
        }
        return Json.write(pong);
    }

    private static String error(JsonNode replyTo, int code, String message) {
        ObjectNode reply = Json.object();
        reply.put("ok", false);
        if (replyTo != null) {
            reply.set("reply_to", replyTo);
        } else {
            reply.put("type", "error");
        }
        ObjectNode error = reply.putObject("error");
        error.put("code", code);
        error.put("msg", message);
        return Json.write(reply);
    }

    @Override
    protected void forget(SocketConnection socket) {
        team.rtmConnections().remove(socket);
    }

    @Override
    protected Recorder recorder() {
        return core.recorder();
    }
}
