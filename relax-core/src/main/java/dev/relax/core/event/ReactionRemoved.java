/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code reaction_removed}: a user took a reaction back.
 */
public record ReactionRemoved(WireEvent wire) implements RelaxEvent {

    public ReactionRemoved {
        EventTypes.require(wire, Protocol.EVENT_REACTION_REMOVED);
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

    /** The {@code ts} of the message the reaction was on. */
    public String itemTs() {
        return wire.timestamp();
    }
}
