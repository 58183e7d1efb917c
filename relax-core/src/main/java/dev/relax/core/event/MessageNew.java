/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code message_new}: a message the bot saw (channel message, mention or DM).
 */
public record MessageNew(WireEvent wire) implements RelaxEvent {

    public MessageNew {
        EventTypes.require(wire, Protocol.EVENT_MESSAGE_NEW);
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

    /** The message text, mentions as Slack writes them ({@code <@U123>}). */
    public String text() {
        return wire.text();
    }

    /** The message's {@code ts}, which with the channel identifies it. */
    public String ts() {
        return wire.timestamp();
    }

    /**
     * For a message posted in a thread, the thread's parent {@code ts}; {@code ""} for a message that is not
     * in a thread, and for RTM bots' events (the Go broker's events have no such field). Events of Slack
     * apps carry it ({@link Protocol#FIELD_THREAD_TS}).
     */
    public String threadTs() {
        return wire.extraText(Protocol.FIELD_THREAD_TS);
    }

    /**
     * The Slack bot ({@code B…}) that posted the message, for an app's event of a message a bot posted;
     * {@code ""} for a person's message, and for RTM bots' events ({@link Protocol#FIELD_BOT_ID}).
     */
    public String botId() {
        return wire.extraText(Protocol.FIELD_BOT_ID);
    }

    /** Whether the text mentions the bot: {@code <@relax_bot_uid>} or {@code <@relax_bot_uid|name>}. */
    public boolean mentionsBot() {
        String id = wire.relaxBotUid();
        return !id.isEmpty()
                && (wire.text().contains("<@" + id + ">") || wire.text().contains("<@" + id + "|"));
    }

    /** Slack's message attachments as raw JSON, or {@code null} when there are none. */
    public String attachmentsJson() {
        return wire.attachmentsJson();
    }
}
