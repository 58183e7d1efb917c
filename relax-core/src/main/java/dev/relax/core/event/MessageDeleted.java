/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code message_deleted}: a message was deleted; {@link #deletedTs()} names it.
 */
public record MessageDeleted(WireEvent wire) implements RelaxEvent {

    public MessageDeleted {
        EventTypes.require(wire, Protocol.EVENT_MESSAGE_DELETED);
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

    /** The deleted text where Slack sent it, else empty. */
    public String text() {
        return wire.text();
    }

    /** The {@code ts} of the deleted message. */
    public String deletedTs() {
        return wire.timestamp();
    }
}
