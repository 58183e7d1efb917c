/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code team_joined}: a user joined the team; refresh what you know of its members.
 */
public record TeamJoined(WireEvent wire) implements RelaxEvent {

    public TeamJoined {
        EventTypes.require(wire, Protocol.EVENT_TEAM_JOINED);
    }

    /** The Slack user the event is about. */
    public String userUid() {
        return wire.userUid();
    }
}
