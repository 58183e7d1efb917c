/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.testkit.Channel;

/**
 * Everything that changes a workspace and the events Slack sends for it, whoever caused it: a scripted
 * person, a bot over RTM, or a Web API call. Payload shapes follow https://api.slack.com/events/message
 * (and its {@code message_changed} / {@code message_deleted} subtypes), /events/reaction_added,
 * /events/team_join, /events/channel_joined, /events/group_joined and /events/im_created.
 */
public final class Conversations {
    private final Ids ids;
    private final EventRouter router;

    public Conversations(Ids ids, EventRouter router) {
        this.ids = ids;
        this.router = router;
    }

    public EventRouter router() {
        return router;
    }

    /**
     * Posts a message. A person's message gets a {@code client_msg_id} and, unless {@code blocks} are
     * given, the {@code rich_text} block a Slack client would add. The event goes to every RTM socket but
     * {@code except} (the socket the message came from, which gets an ack instead) and to every app.
     */
    public MessageInfo post(
            TeamState team,
            Member author,
            ChannelInfo channel,
            String text,
            String threadTs,
            JsonNode blocks,
            JsonNode attachments,
            SocketConnection except) {
        boolean person = !author.isBot();
        String ts = ids.nextTs();
        JsonNode shownBlocks = blocks != null ? blocks : person ? Payloads.richText(text, blockId()) : null;
        MessageInfo message = new MessageInfo(
                channel.id(),
                ts,
                author.id(),
                author.botId(),
                text,
                person ? ids.uuid() : "",
                threadTs == null ? "" : threadTs,
                "",
                shownBlocks,
                attachments);
        team.putMessage(message);
        if (!person && !message.threadTs().isEmpty()) {
            // https://api.slack.com/methods/assistant.threads.setStatus: "The status will be automatically
            // cleared when the app sends a reply."
            team.threadStatuses().replied(channel.id(), message.threadTs(), author.id());
        }
        MessageInfo parent = message.threadTs().isEmpty() ? null : team.message(channel.id(), message.threadTs());
        String parentUser = parent == null ? "" : parent.user();
        router.publish(team, Payloads.messageEvent(team, message, parentUser), except);
        return message;
    }

    /** Replaces a message's text: {@code message} / {@code message_changed} with the old message too. */
    public MessageInfo edit(TeamState team, MessageInfo old, String newText, JsonNode newBlocks) {
        String ts = ids.nextTs();
        JsonNode blocks = newBlocks != null
                ? newBlocks
                : old.clientMsgId().isEmpty() ? old.blocks() : Payloads.richText(newText, blockId());
        MessageInfo updated = old.edited(newText, blocks, ts);
        team.putMessage(updated);
        ObjectNode event = Json.object();
        event.put("type", "message");
        event.put("subtype", "message_changed");
        event.put("hidden", true);
        ObjectNode nested = Payloads.nestedMessage(team, updated);
        nested.put("source_team", team.id());
        nested.put("user_team", team.id());
        event.set("message", nested);
        event.put("channel", old.channel());
        event.set("previous_message", Payloads.nestedMessage(team, old));
        event.put("event_ts", ts);
        event.put("ts", ts);
        router.publish(team, event, null);
        return updated;
    }

    /**
     * Deletes a message: {@code message} / {@code message_deleted} with {@code deleted_ts} and {@code
     * previous_message}, and no top-level {@code user}, as Slack sends it.
     */
    public void delete(TeamState team, MessageInfo old) {
        team.removeMessage(old.channel(), old.ts());
        String ts = ids.nextTs();
        ObjectNode event = Json.object();
        event.put("type", "message");
        event.put("subtype", "message_deleted");
        event.put("hidden", true);
        event.put("deleted_ts", old.ts());
        event.put("channel", old.channel());
        event.set("previous_message", Payloads.nestedMessage(team, old));
        event.put("event_ts", ts);
        event.put("ts", ts);
        router.publish(team, event, null);
    }

    public void react(TeamState team, Member user, MessageInfo message, String reaction, boolean added) {
        String ts = ids.nextTs();
        ObjectNode event = Json.object();
        event.put("type", added ? "reaction_added" : "reaction_removed");
        event.put("user", user.id());
        ObjectNode item = event.putObject("item");
        item.put("type", "message");
        item.put("channel", message.channel());
        item.put("ts", message.ts());
        event.put("reaction", reaction);
        event.put("item_user", message.user());
        event.put("event_ts", ts);
        event.put("ts", ts);
        router.publish(team, event, null);
    }

    public void teamJoin(TeamState team, Member member) {
        ObjectNode event = Json.object();
        event.put("type", "team_join");
        event.set("user", Payloads.user(team, member));
        event.put("cache_ts", ids.epochSeconds());
        event.put("event_ts", ids.nextTs());
        router.publish(team, event, null);
    }

    /**
     * A bot joins a conversation: {@code channel_joined} or {@code group_joined} to that bot's own RTM
     * sockets (the event is about "you"), {@code member_joined_channel} to the apps.
     */
    public void botJoins(TeamState team, Member bot, ChannelInfo channel) {
        channel.members().add(bot.id());
        String ts = ids.nextTs();
        boolean group = channel.type() == Channel.Type.GROUP;
        ObjectNode joined = Json.object();
        joined.put("type", group ? "group_joined" : "channel_joined");
        ObjectNode object = Payloads.channel(channel, bot.id());
        object.put("last_read", "0000000000.000000");
        object.putNull("latest");
        object.put("unread_count", 0);
        object.put("unread_count_display", 0);
        joined.set("channel", object);
        joined.put("event_ts", ts);
        router.toRtm(team, joined, null, bot.id());
        router.toApps(team, memberEvent("member_joined_channel", team, bot, channel, ts));
    }

    /**
     * A bot leaves a conversation: {@code channel_left} or {@code group_left} to that bot's own RTM sockets
     * (https://api.slack.com/events/channel_left, /events/group_left), {@code member_left_channel} to the
     * apps (https://api.slack.com/events/member_left_channel).
     */
    public void botLeaves(TeamState team, Member bot, ChannelInfo channel) {
        channel.members().remove(bot.id());
        String ts = ids.nextTs();
        ObjectNode left = Json.object();
        left.put("type", channel.type() == Channel.Type.GROUP ? "group_left" : "channel_left");
        left.put("channel", channel.id());
        left.put("actor_id", bot.id());
        left.put("event_ts", ts);
        router.toRtm(team, left, null, bot.id());
        router.toApps(team, memberEvent("member_left_channel", team, bot, channel, ts));
    }

    /** {@code member_joined_channel} or {@code member_left_channel}, as apps receive them. */
    private static ObjectNode memberEvent(String type, TeamState team, Member bot, ChannelInfo channel, String ts) {
        ObjectNode member = Json.object();
        member.put("type", type);
        member.put("user", bot.id());
        member.put("channel", channel.id());
        member.put("channel_type", channel.type() == Channel.Type.GROUP ? "G" : "C");
        member.put("team", team.id());
        member.put("event_ts", ts);
        return member;
    }

    /** The direct message between a person and a bot, created (with {@code im_created} to the bot) when new. */
    public ChannelInfo openIm(TeamState team, Member user, Member bot) {
        ChannelInfo im;
        synchronized (team) {
            ChannelInfo existing = team.im(user.id(), bot.id());
            if (existing != null) {
                return existing;
            }
            im = new ChannelInfo(
                    new Channel(ids.next("D"), user.id(), Channel.Type.IM), bot.id(), ids.epochSeconds(), user.id());
            im.members().add(user.id());
            im.members().add(bot.id());
            team.addChannel(im);
        }
        ObjectNode event = Json.object();
        event.put("type", "im_created");
        event.put("user", user.id());
        event.set("channel", Payloads.im(im));
        event.put("event_ts", ids.nextTs());
        router.toRtm(team, event, null, bot.id());
        return im;
    }

    /** A bot's typing indicator: {@code user_typing} to the team's other sockets (https://api.slack.com/rtm). */
    public void typing(TeamState team, Member bot, String channel, SocketConnection except) {
        ObjectNode event = Json.object();
        event.put("type", "user_typing");
        event.put("channel", channel);
        event.put("user", bot.id());
        router.toRtm(team, event, except, null);
    }

    private String blockId() {
        return ids.secret().substring(0, 5);
    }
}
