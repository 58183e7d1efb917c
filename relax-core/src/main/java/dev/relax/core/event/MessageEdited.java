/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code message_edited}: a message was changed; {@link #ts()} names the edited message.
 */
public record MessageEdited(WireEvent wire) implements RelaxEvent {

    public MessageEdited {
        EventTypes.require(wire, Protocol.EVENT_MESSAGE_EDITED);
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

    /** The new text. */
    public String text() {
        return wire.text();
    }

    /** The {@code ts} of the message that was edited. */
    public String ts() {
        return wire.timestamp();
    }

    /** The edited message's attachments as raw JSON, or {@code null}. */
    public String attachmentsJson() {
        return wire.attachmentsJson();
    }
}
