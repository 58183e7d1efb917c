/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code channel_joined}: the bot joined a channel or private group.
 */
public record ChannelJoined(WireEvent wire) implements RelaxEvent {

    public ChannelJoined {
        EventTypes.require(wire, Protocol.EVENT_CHANNEL_JOINED);
    }

    /** The channel, group or IM id. */
    public String channelUid() {
        return wire.channelUid();
    }

    /** Whether the channel is a direct message with the bot. */
    public boolean im() {
        return wire.im();
    }
}
