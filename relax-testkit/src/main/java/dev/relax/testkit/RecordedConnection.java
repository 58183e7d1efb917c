/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.core.Secret;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one websocket connection and every frame that crossed it, taken by {@link
 * Recordings#connections()}. Frames are listed in the order the simulator read or wrote them.
 *
 * @param id the simulator's connection id, e.g. {@code rtm-3}
 * @param teamId the workspace of an RTM connection; empty for Socket Mode
 * @param appId the app of a Socket Mode connection; empty for RTM
 * @param userId the bot user of an RTM connection; empty for Socket Mode
 * @param token the token the connection was opened with
 * @param closedAt when the socket closed, or {@code null} while it is open
 * @param closeCode the websocket close status, 0 while open
 * @param sent frames the client sent to the simulator
 * @param received frames the simulator sent to the client
 */
public record RecordedConnection(
        String id,
        ConnectionKind kind,
        String teamId,
        String appId,
        String userId,
        Secret token,
        Instant openedAt,
        Instant closedAt,
        int closeCode,
        List<RecordedFrame> sent,
        List<RecordedFrame> received) {

    /** True while the socket was open when the snapshot was taken. */
    public boolean isOpen() {
        return closedAt == null;
    }

    /** The received frames whose {@code type} is {@code type}, e.g. {@code "message"}. */
    public List<RecordedFrame> received(String type) {
        return received.stream().filter(f -> f.type().equals(type)).toList();
    }

    /** The sent frames whose {@code type} is {@code type}, e.g. {@code "ping"}. */
    public List<RecordedFrame> sent(String type) {
        return sent.stream().filter(f -> f.type().equals(type)).toList();
    }
}
