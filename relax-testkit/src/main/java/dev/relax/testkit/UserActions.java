/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.testkit.internal.ChannelInfo;
import dev.relax.testkit.internal.Member;
import dev.relax.testkit.internal.MessageInfo;
import dev.relax.testkit.internal.SimulatorCore;
import dev.relax.testkit.internal.TeamState;
import java.util.Objects;

/**
 * What a person does in a workspace, each producing the events Slack sends for it, as returned by
 * {@link Workspace#as(User)}:
 *
 * <pre>{@code
 * String ts = ws.as(alice).post(general, "hello");
 * ws.as(alice).edit(general, ts, "hello everyone");
 * ws.as(bob).react(general, ts, "+1");
 * ws.as(alice).delete(general, ts);
 * }</pre>
 */
public final class UserActions {
    private final SimulatorCore core;
    private final TeamState team;
    private final Member user;

    UserActions(SimulatorCore core, TeamState team, Member user) {
        this.core = core;
        this.team = team;
        this.user = user;
    }

    /**
     * Posts a message as the person's Slack client would (with {@code client_msg_id} and a {@code
     * rich_text} block) and returns its {@code ts}.
     */
    public String post(Channel channel, String text) {
        return core.conversations()
                .post(team, user, channelInfo(channel), requireText(text), "", null, null, null)
                .ts();
    }

    /** Replies in the thread of {@code threadTs} and returns the reply's {@code ts}. */
    public String reply(Channel channel, String threadTs, String text) {
        ChannelInfo info = channelInfo(channel);
        message(info, threadTs);
        return core.conversations()
                .post(team, user, info, requireText(text), threadTs, null, null, null)
                .ts();
    }

    /** Posts {@code <@BOT> text}, the way a mention of the bot arrives, and returns its {@code ts}. */
    public String mention(Bot bot, Channel channel, String text) {
        return post(channel, "<@" + bot.userId() + "> " + requireText(text));
    }

    /**
     * Edits one of the person's messages: {@code message} / {@code message_changed} with the new message
     * (with {@code edited}) and {@code previous_message}.
     */
    public void edit(Channel channel, String ts, String newText) {
        MessageInfo old = own(channelInfo(channel), ts);
        core.conversations().edit(team, old, requireText(newText), null);
    }

    /**
     * Deletes one of the person's messages: {@code message} / {@code message_deleted} with {@code
     * deleted_ts} and {@code previous_message}, and no top-level {@code user}.
     */
    public void delete(Channel channel, String ts) {
        core.conversations().delete(team, own(channelInfo(channel), ts));
    }

    /** Adds a reaction such as {@code +1} to any message: {@code reaction_added}. */
    public void react(Channel channel, String ts, String reaction) {
        core.conversations().react(team, user, message(channelInfo(channel), ts), requireText(reaction), true);
    }

    /** Removes a reaction: {@code reaction_removed}. */
    public void unreact(Channel channel, String ts, String reaction) {
        core.conversations().react(team, user, message(channelInfo(channel), ts), requireText(reaction), false);
    }

    private ChannelInfo channelInfo(Channel channel) {
        Objects.requireNonNull(channel, "channel");
        ChannelInfo info = team.channel(channel.id());
        if (info == null) {
            throw new IllegalArgumentException("workspace " + team.id() + " has no channel " + channel.id());
        }
        return info;
    }

    private MessageInfo message(ChannelInfo channel, String ts) {
        MessageInfo message = team.message(channel.id(), ts);
        if (message == null) {
            throw new IllegalArgumentException("no message " + ts + " in " + channel.id());
        }
        return message;
    }

    private MessageInfo own(ChannelInfo channel, String ts) {
        MessageInfo message = message(channel, ts);
        if (!message.user().equals(user.id())) {
            throw new IllegalArgumentException(
                    "message " + ts + " in " + channel.id() + " is by " + message.user() + ", not " + user.id());
        }
        return message;
    }

    private static String requireText(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("text must not be empty");
        }
        return text;
    }
}
