/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.testkit.Channel;
import java.util.Locale;

/**
 * Slack's JSON objects, shaped like the payloads Slack documents and sends: user objects
 * (https://api.slack.com/types/user), conversation objects (https://api.slack.com/types/conversation)
 * and message events (https://api.slack.com/events/message). Field order follows captured RTM frames.
 */
public final class Payloads {
    private Payloads() {}

    /** A full user object, as in users.info and {@code team_join}. */
    public static ObjectNode user(TeamState team, Member member) {
        ObjectNode user = Json.object();
        user.put("id", member.id());
        user.put("team_id", team.id());
        user.put("name", member.name());
        user.put("deleted", false);
        user.put("color", member.isBot() ? "e7392d" : "9f69e7");
        user.put("real_name", member.realName());
        user.put("tz", "Europe/London");
        user.put("tz_label", "Greenwich Mean Time");
        user.put("tz_offset", 0);
        ObjectNode profile = user.putObject("profile");
        if (member.isBot()) {
            profile.put("bot_id", member.botId());
            profile.put("always_active", true);
        } else {
            profile.put("avatar_hash", "g" + member.id().toLowerCase(Locale.ROOT));
            profile.put("status_text", "");
            profile.put("status_emoji", "");
            profile.put("email", member.name() + "@" + team.domain() + ".example.com");
        }
        profile.put("real_name", member.realName());
        profile.put("display_name", member.isBot() ? "" : member.name());
        profile.put("real_name_normalized", member.realName());
        profile.put("display_name_normalized", member.isBot() ? "" : member.name());
        profile.put("team", team.id());
        user.put("is_admin", false);
        user.put("is_owner", false);
        user.put("is_primary_owner", false);
        user.put("is_restricted", false);
        user.put("is_ultra_restricted", false);
        user.put("is_bot", member.isBot());
        user.put("is_app_user", false);
        user.put("updated", member.created());
        return user;
    }

    /** A public or private channel object as {@code viewer} sees it ({@code is_member}). */
    public static ObjectNode channel(ChannelInfo info, String viewer) {
        if (info.type() == Channel.Type.IM) {
            return im(info);
        }
        boolean group = info.type() == Channel.Type.GROUP;
        ObjectNode channel = Json.object();
        channel.put("id", info.id());
        channel.put("name", info.name());
        channel.put(group ? "is_group" : "is_channel", true);
        channel.put("created", info.created());
        channel.put("creator", info.creator());
        channel.put("is_archived", false);
        if (!group) {
            channel.put("is_general", info.name().equals("general"));
        }
        channel.put("name_normalized", info.name());
        channel.put("is_shared", false);
        channel.put("is_org_shared", false);
        channel.put("is_member", info.members().contains(viewer));
        channel.put("is_private", group);
        channel.put("is_mpim", false);
        ArrayNode members = channel.putArray("members");
        info.members().stream().sorted().forEach(members::add);
        ObjectNode topic = channel.putObject("topic");
        topic.put("value", "");
        topic.put("creator", "");
        topic.put("last_set", 0);
        ObjectNode purpose = channel.putObject("purpose");
        purpose.put("value", "");
        purpose.put("creator", "");
        purpose.put("last_set", 0);
        return channel;
    }

    /** A direct message channel object, as in {@code im_created} and rtm.start's {@code ims}. */
    public static ObjectNode im(ChannelInfo info) {
        ObjectNode im = Json.object();
        im.put("id", info.id());
        im.put("created", info.created());
        im.put("is_frozen", false);
        im.put("is_archived", false);
        im.put("is_im", true);
        im.put("is_org_shared", false);
        im.put("user", info.imUser());
        im.put("last_read", "0000000000.000000");
        im.putNull("latest");
        im.put("unread_count", 0);
        im.put("unread_count_display", 0);
        im.put("is_open", true);
        im.put("priority", 0);
        return im;
    }

    /** The {@code rich_text} block a Slack client attaches to what a person types. */
    public static ArrayNode richText(String text, String blockId) {
        ArrayNode blocks = Json.array();
        ObjectNode block = blocks.addObject();
        block.put("type", "rich_text");
        block.put("block_id", blockId);
        ObjectNode section = block.putArray("elements").addObject();
        section.put("type", "rich_text_section");
        ObjectNode element = section.putArray("elements").addObject();
        element.put("type", "text");
        element.put("text", text);
        return blocks;
    }

    /**
     * The RTM {@code message} event for a new message: a person's carries {@code client_msg_id} and
     * blocks, a bot's carries {@code bot_id}.
     */
    public static ObjectNode messageEvent(TeamState team, MessageInfo message, String parentUser) {
        ObjectNode event = Json.object();
        if (!message.clientMsgId().isEmpty()) {
            event.put("client_msg_id", message.clientMsgId());
        }
        event.put("suppress_notification", false);
        event.put("type", "message");
        event.put("text", message.text());
        event.put("user", message.user());
        event.put("team", team.id());
        event.put("user_team", team.id());
        event.put("source_team", team.id());
        event.put("channel", message.channel());
        event.put("event_ts", message.ts());
        event.put("ts", message.ts());
        if (!message.botId().isEmpty()) {
            event.put("bot_id", message.botId());
        }
        if (!message.threadTs().isEmpty()) {
            event.put("thread_ts", message.threadTs());
            event.put("parent_user_id", parentUser);
        }
        if (message.blocks() != null) {
            event.set("blocks", message.blocks());
        }
        if (message.attachments() != null) {
            event.set("attachments", message.attachments());
        }
        return event;
    }

    /** The message object nested in {@code message_changed} or returned by chat.postMessage. */
    public static ObjectNode nestedMessage(TeamState team, MessageInfo message) {
        ObjectNode nested = Json.object();
        if (!message.clientMsgId().isEmpty()) {
            nested.put("client_msg_id", message.clientMsgId());
        }
        nested.put("type", "message");
        nested.put("text", message.text());
        nested.put("user", message.user());
        nested.put("team", team.id());
        if (!message.botId().isEmpty()) {
            nested.put("bot_id", message.botId());
        }
        if (!message.editedTs().isEmpty()) {
            ObjectNode edited = nested.putObject("edited");
            edited.put("user", message.user());
            edited.put("ts", message.editedTs());
        }
        nested.put("ts", message.ts());
        if (!message.threadTs().isEmpty()) {
            nested.put("thread_ts", message.threadTs());
        }
        if (message.blocks() != null) {
            nested.set("blocks", message.blocks());
        }
        if (message.attachments() != null) {
            nested.set("attachments", message.attachments());
        }
        return nested;
    }

    /**
     * The Events API envelope around an event (https://api.slack.com/apis/events-api#callback-field),
     * with the authorization of the app's bot user. In an Enterprise Grid workspace the envelope names the
     * organization ({@code enterprise_id}); the authorization of an org-wide installation has {@code
     * is_enterprise_install} true and no team, since it holds for the whole organization
     * (https://api.slack.com/enterprise/apps/changes-apis).
     */
    public static ObjectNode eventCallback(
            Installation installation, JsonNode event, String eventId, long eventTime, String verificationToken) {
        String enterpriseId = installation.enterpriseId();
        ObjectNode outer = Json.object();
        outer.put("token", verificationToken);
        outer.put("team_id", installation.teamId());
        if (!enterpriseId.isEmpty()) {
            outer.put("enterprise_id", enterpriseId);
        }
        outer.put("context_team_id", installation.teamId());
        putOrNull(outer, "context_enterprise_id", enterpriseId);
        outer.put("api_app_id", installation.app().id());
        outer.set("event", event);
        outer.put("type", "event_callback");
        outer.put("event_id", eventId);
        outer.put("event_time", eventTime);
        ObjectNode authorization = outer.putArray("authorizations").addObject();
        putOrNull(authorization, "enterprise_id", enterpriseId);
        putOrNull(authorization, "team_id", installation.enterpriseInstall() ? "" : installation.teamId());
        authorization.put("user_id", installation.botUserId());
        authorization.put("is_bot", true);
        authorization.put("is_enterprise_install", installation.enterpriseInstall());
        outer.put("is_ext_shared_channel", false);
        outer.put("event_context", "4-" + eventId);
        return outer;
    }

    private static void putOrNull(ObjectNode node, String field, String value) {
        if (value.isEmpty()) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
