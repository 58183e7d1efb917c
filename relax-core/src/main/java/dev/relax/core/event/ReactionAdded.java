/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code reaction_added}: a user reacted to a message.
 */
public record ReactionAdded(WireEvent wire) implements RelaxEvent {

    public ReactionAdded {
        EventTypes.require(wire, Protocol.EVENT_REACTION_ADDED);
    }

    /** The Slack user the event is about. */
    public String userUid() {
        return wire.userUid();
    }

    /** The channel, group or IM id. */
    public String channelUid() {
        return wire.channelUid();
    }

    /** Whether the channel is a direct message with the bot. */
    public boolean im() {
        return wire.im();
    }

    /** The reaction name, such as {@code +1}. */
    public String reaction() {
        return wire.text();
    }

    /** The {@code ts} of the message reacted to. */
    public String itemTs() {
        return wire.timestamp();
    }
}
