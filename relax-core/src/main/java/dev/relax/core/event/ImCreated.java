/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code im_created}: a direct message with the bot was opened.
 */
public record ImCreated(WireEvent wire) implements RelaxEvent {

    public ImCreated {
        EventTypes.require(wire, Protocol.EVENT_IM_CREATED);
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
}
