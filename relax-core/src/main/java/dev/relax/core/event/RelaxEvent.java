/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * A Relax event, typed by its wire {@code type}. Switch over it to handle each kind; an event of a type
 * this version does not know arrives as {@link UnknownEvent}, intact, so a newer broker never breaks an
 * older consumer:
 *
 * <pre>{@code
 * switch (event) {
 *     case MessageNew m -> reply(m.channelUid(), m.text());
 *     case ReactionAdded r -> count(r.reaction());
 *     case DisableBot d -> forget(d.teamUid());
 *     default -> {}
 * }
 * }</pre>
 *
 * Every record keeps the whole {@link WireEvent} it came from ({@link #wire()}); its accessors name what
 * the fields mean for that type.
 */
public sealed interface RelaxEvent
        permits MessageNew,
                MessageEdited,
                MessageDeleted,
                ReactionAdded,
                ReactionRemoved,
                TeamJoined,
                ImCreated,
                ChannelJoined,
                DisableBot,
                SlashCommand,
                Interaction,
                SlackEvent,
                UnknownEvent {

    /** The event as it is on the wire. */
    WireEvent wire();

    /** The wire {@code type}. */
    default String type() {
        return wire().type();
    }

    /** The Slack team of the bot that saw the event. */
    default String teamUid() {
        return wire().teamUid();
    }

    /** The namespace of the bot, or empty. */
    default String namespace() {
        return wire().namespace();
    }

    /** The bot's own Slack user id, to strip {@code <@BOT>} mentions. */
    default String relaxBotUid() {
        return wire().relaxBotUid();
    }

    /** The Slack app the event came through ({@code relax_app_id}), or empty for an RTM bot's event. */
    default String appId() {
        return wire().appId();
    }

    /** When the event happened (Slack's {@code ts}/{@code event_ts}, or the broker's clock). */
    default String eventTimestamp() {
        return wire().eventTimestamp();
    }

    /** The typed view of {@code wire}, {@link UnknownEvent} for a type this version does not know. */
    static RelaxEvent of(WireEvent wire) {
        return switch (wire.type()) {
            case Protocol.EVENT_MESSAGE_NEW -> new MessageNew(wire);
            case Protocol.EVENT_MESSAGE_EDITED -> new MessageEdited(wire);
            case Protocol.EVENT_MESSAGE_DELETED -> new MessageDeleted(wire);
            case Protocol.EVENT_REACTION_ADDED -> new ReactionAdded(wire);
            case Protocol.EVENT_REACTION_REMOVED -> new ReactionRemoved(wire);
            case Protocol.EVENT_TEAM_JOINED -> new TeamJoined(wire);
            case Protocol.EVENT_IM_CREATED -> new ImCreated(wire);
            case Protocol.EVENT_CHANNEL_JOINED -> new ChannelJoined(wire);
            case Protocol.EVENT_DISABLE_BOT -> new DisableBot(wire);
            case Protocol.EVENT_SLASH_COMMAND -> new SlashCommand(wire);
            case Protocol.EVENT_INTERACTION -> new Interaction(wire);
            case Protocol.EVENT_SLACK_EVENT -> new SlackEvent(wire);
            default -> new UnknownEvent(wire);
        };
    }
}
