/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Turns the RTM form of a workspace event into what an installed app receives through the Events API or
 * Socket Mode (https://api.slack.com/events). Stateless.
 *
 * <ul>
 *   <li>{@code message} gains {@code channel_type} and loses the RTM-only fields; a new message that
 *       mentions the app's bot user also yields {@code app_mention} (https://api.slack.com/events/app_mention),
 *       a separate event with its own {@code event_id}.
 *   <li>{@code reaction_added}, {@code reaction_removed}, {@code team_join} and {@code
 *       member_joined_channel} pass through.
 *   <li>RTM-only events ({@code channel_joined}, {@code im_created}, {@code user_typing}, …) yield nothing.
 * </ul>
 */
public final class EventsApiTranslator {
    private EventsApiTranslator() {}

    public static List<ObjectNode> translate(ObjectNode rtm, TeamState team, String botUserId) {
        return switch (Json.text(rtm, "type")) {
            case "message" -> message(rtm, team, botUserId);
            case "reaction_added", "reaction_removed" -> List.of(without(rtm, "ts"));
            case "team_join", "member_joined_channel" -> List.of(rtm.deepCopy());
            default -> List.of();
        };
    }

    private static List<ObjectNode> message(ObjectNode rtm, TeamState team, String botUserId) {
        ObjectNode message = without(rtm, "suppress_notification", "user_team", "source_team");
        ChannelInfo channel = team.channel(Json.text(rtm, "channel"));
        message.put("channel_type", channel == null ? "channel" : channel.type().wireName());
        boolean plain = !rtm.has("subtype");
        String text = Json.text(rtm, "text");
        if (!plain || !text.contains("<@" + botUserId + ">") || botUserId.equals(Json.text(rtm, "user"))) {
            return List.of(message);
        }
        ObjectNode mention = Json.object();
        mention.put("type", "app_mention");
        for (String field : List.of("client_msg_id", "text", "user", "ts", "team", "thread_ts", "blocks", "channel")) {
            JsonNode value = rtm.get(field);
            if (value != null) {
                mention.set(field, value.deepCopy());
            }
        }
        mention.put("event_ts", Json.text(rtm, "event_ts"));
        return List.of(message, mention);
    }

    private static ObjectNode without(ObjectNode source, String... fields) {
        ObjectNode copy = source.deepCopy();
        copy.remove(List.of(fields));
        return copy;
    }
}
