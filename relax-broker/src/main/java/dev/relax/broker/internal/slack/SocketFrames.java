/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.core.internal.Redaction;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the frames of a {@link ReconnectingSocket}'s sockets, on their reading thread: connection-control
 * frames ({@code hello}, {@code pong}, {@code goodbye}, Socket Mode's {@code disconnect}) go to the
 * state machine, every other frame to the protocol. Disconnect reasons mean what {@link
 * SlackConnectErrors} says: {@code link_disabled} disables, {@code too_many_websockets} waits for Slack's
 * close (which reconnects with back-off), and {@code refresh_requested}, {@code warning} or anything newer
 * refresh the socket.
 */
final class SocketFrames {
    private static final Logger log = LoggerFactory.getLogger(ReconnectingSocket.class);

    private SocketFrames() {}

    static void read(ReconnectingSocket owner, SocketHandle s, String text) {
        s.lastHeard = owner.res.ticker().getAsLong();
        if (owner.over()) {
            return;
        }
        String previousMdc = owner.putMdc();
        try {
            owner.res.metrics().framesIn.increment();
            JsonNode frame;
            try {
                frame = FrameParser.parse(owner.res.json().getFactory(), text);
            } catch (IOException e) {
                frame = null;
            }
            if (frame == null || !frame.isObject()) {
                owner.res.metrics().framesMalformed.increment();
                log.warn(
                        "{}: frame from Slack is not a JSON object, skipped: {}",
                        owner.name,
                        Redaction.excerpt(text, 0, 120));
                return;
            }
            switch (frame.path("type").asText("")) {
                case "hello" -> owner.hello(s);
                case "pong" -> {} // heard: lastHeard is set
                case "goodbye" -> owner.reconnect(s, "goodbye", true);
                case "disconnect" -> disconnect(owner, s, frame.path("reason").asText(""));
                default -> owner.protocol.onEvent(s, frame);
            }
        } finally {
            owner.restoreMdc(previousMdc);
        }
    }

    private static void disconnect(ReconnectingSocket owner, SocketHandle s, String reason) {
        log.info("{}: Slack sent disconnect ({})", owner.name, reason);
        switch (SlackConnectErrors.meaning(owner.protocol.side(), reason)) {
            case DISABLE -> owner.disableNow(reason); // whichever socket said it, the link is off
            // Slack closes the socket; the close reconnects with back-off.
            case RETRY_AFTER, RETRY_NOT_FOR_RTM -> {}
            case RETRY -> {
                if (!"too_many_websockets".equals(reason)) {
                    owner.refresh(s); // refresh_requested, warning and anything newer
                }
            }
        }
    }
}
