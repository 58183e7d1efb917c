/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static dev.relax.broker.internal.slack.SlackJson.text;
import static dev.relax.core.protocol.Protocol.*;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.core.event.WireEvent;
import java.time.Clock;

/**
 * Turns one Slack RTM frame into the Relax event the contract's table prescribes, or into nothing. Pure:
 * no I/O, no state beyond the clock that fills the timestamps Slack does not give.
 *
 * <p>Where this differs from the Go broker, on purpose (see relax-core/src/test/resources/golden/README.md): ids come from the
 * frame itself rather than from rtm.start's lists (rtm.connect has none), {@code im} is true for a
 * {@code D…} channel, and {@code message_deleted} carries the deleted text and author from
 * {@code previous_message} when Slack sends it.
 */
public final class RtmTranslator {
    private final Clock clock;
    private final boolean sendBotReplies;
    private final GoAttachments attachments;

    public RtmTranslator(Clock clock, boolean sendBotReplies, JsonFactory json) {
        this.clock = clock;
        this.sendBotReplies = sendBotReplies;
        this.attachments = new GoAttachments(json);
    }

    /** The event for {@code frame}, or {@code null} when the frame is not one Relax reports. */
    public Translated translate(BotIdentity bot, JsonNode frame) {
        String type = text(frame, "type");
        return switch (type) {
            case "message" -> message(bot, frame);
            case "reaction_added" -> reaction(bot, frame, EVENT_REACTION_ADDED);
            case "reaction_removed" -> reaction(bot, frame, EVENT_REACTION_REMOVED);
            case "team_join" -> teamJoin(bot, frame);
            case "im_created" -> imCreated(bot, frame);
            case "channel_joined", "group_joined" -> channelJoined(bot, frame);
            default -> null;
        };
    }

    /** The {@code disable_bot} event for a bot whose token Slack refused. */
    public Translated disableBot(BotIdentity bot) {
        long minute = clock.instant().getEpochSecond() / 60;
        WireEvent e = base(bot, EVENT_DISABLE_BOT).eventTimestamp(nanos()).build();
        return translated(bot, e, EVENT_DISABLE_BOT + ":" + minute);
    }

    private Translated message(BotIdentity bot, JsonNode frame) {
        String subtype = text(frame, "subtype");
        String channel = text(frame, "channel");
        switch (subtype) {
            case "" -> {
                String user = text(frame, "user");
                if (!sendBotReplies && !bot.selfId().isEmpty() && user.equals(bot.selfId())) {
                    return null;
                }
                return posted(bot, EVENT_MESSAGE_NEW, channel, frame, text(frame, "ts"));
            }
            case "message_changed" -> {
                JsonNode edited = frame.get("message");
                if (edited == null || !edited.isObject()) {
                    return null;
                }
                return posted(bot, EVENT_MESSAGE_EDITED, channel, edited, text(frame, "ts"));
            }
            case "message_deleted" -> {
                // Slack names the author only in previous_message
                // (https://api.slack.com/events/message/message_deleted).
                JsonNode previous = frame.path("previous_message");
                String user = text(frame, "user");
                String ts = text(frame, "ts");
                WireEvent e = inChannel(bot, EVENT_MESSAGE_DELETED, channel)
                        .userUid(user.isEmpty() ? text(previous, "user") : user)
                        .text(text(previous, "text"))
                        .timestamp(text(frame, "deleted_ts"))
                        .eventTimestamp(orNow(ts))
                        .build();
                return translated(bot, e, dedupeId(EVENT_MESSAGE_DELETED, channel, ts));
            }
            default -> {
                // Like the Go broker: other subtypes (bot_message, channel_join, ...) are not reported.
                return null;
            }
        }
    }

    /**
     * A message as posted or edited: author, text, {@code ts} and attachments from {@code message} (the frame,
     * or the edited message), keyed and stamped by the frame's {@code ts}.
     */
    private Translated posted(BotIdentity bot, String type, String channel, JsonNode message, String ts) {
        WireEvent e = inChannel(bot, type, channel)
                .userUid(text(message, "user"))
                .text(text(message, "text"))
                .timestamp(text(message, "ts"))
                .eventTimestamp(orNow(ts))
                .attachmentsJson(attachments.normalize(message.get("attachments")))
                .build();
        return translated(bot, e, dedupeId(type, channel, ts));
    }

    private Translated reaction(BotIdentity bot, JsonNode frame, String type) {
        JsonNode item = frame.get("item");
        if (item == null || !item.isObject()) {
            return null;
        }
        String channel = text(item, "channel");
        String eventTs = text(frame, "event_ts");
        WireEvent e = inChannel(bot, type, channel)
                .userUid(text(frame, "user"))
                .text(text(frame, "reaction"))
                .timestamp(text(item, "ts"))
                .eventTimestamp(orNow(eventTs))
                .build();
        String stable = eventTs.isEmpty()
                ? text(item, "ts") + ":" + text(frame, "user") + ":" + text(frame, "reaction")
                : eventTs;
        return translated(bot, e, dedupeId(type, channel, stable));
    }

    private Translated teamJoin(BotIdentity bot, JsonNode frame) {
        JsonNode user = frame.get("user");
        if (user == null || !user.isObject()) {
            return null;
        }
        String userId = text(user, "id");
        WireEvent e = base(bot, EVENT_TEAM_JOINED)
                .userUid(userId)
                .eventTimestamp(nanos())
                .build();
        return translated(bot, e, dedupeId(EVENT_TEAM_JOINED, "", userId));
    }

    private Translated imCreated(BotIdentity bot, JsonNode frame) {
        JsonNode channel = frame.get("channel");
        if (channel == null || !channel.isObject()) {
            return null;
        }
        String channelId = text(channel, "id");
        String user = text(frame, "user");
        WireEvent e = base(bot, EVENT_IM_CREATED)
                .userUid(user.isEmpty() ? text(channel, "user") : user)
                .channelUid(channelId)
                .im(true)
                .eventTimestamp(nanos())
                .build();
        return translated(bot, e, dedupeId(EVENT_IM_CREATED, channelId, ""));
    }

    private Translated channelJoined(BotIdentity bot, JsonNode frame) {
        JsonNode channel = frame.get("channel");
        if (channel == null || !channel.isObject()) {
            return null;
        }
        String channelId = text(channel, "id");
        long minute = clock.instant().getEpochSecond() / 60 * 60;
        String stamp = "channel-joined-" + minute + "-" + channelId;
        WireEvent e = inChannel(bot, EVENT_CHANNEL_JOINED, channelId)
                .timestamp(stamp)
                .eventTimestamp(stamp)
                .build();
        return translated(bot, e, dedupeId(EVENT_CHANNEL_JOINED, channelId, stamp));
    }

    private WireEvent.Builder inChannel(BotIdentity bot, String type, String channel) {
        // A direct-message channel id starts with D (https://api.slack.com/docs/conversations-api).
        return base(bot, type).channelUid(channel).im(channel.startsWith("D"));
    }

    private static WireEvent.Builder base(BotIdentity bot, String type) {
        return WireEvent.builder(type)
                .teamUid(bot.teamId())
                .namespace(bot.namespace())
                .relaxBotUid(bot.selfId())
                .provider(PROVIDER_SLACK);
    }

    /** The event with its key: {@code id} in the bounded mode, the Go broker's field in hash mode. */
    private static Translated translated(BotIdentity bot, WireEvent e, String id) {
        return new Translated(e, DedupeKey.rtm(bot.id(), id, e.channelUid(), e.eventTimestamp()));
    }

    private static String dedupeId(String type, String channel, String stable) {
        return type + ":" + channel + ":" + stable;
    }

    private String orNow(String ts) {
        return ts.isEmpty() ? nanos() : ts;
    }

    /** The broker's clock as Unix nanoseconds, the Go broker's generated event_timestamp. */
    private String nanos() {
        return SlackJson.nanos(clock);
    }
}
