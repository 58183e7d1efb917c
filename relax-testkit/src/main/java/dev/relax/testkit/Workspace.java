/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.testkit.internal.ChannelInfo;
import dev.relax.testkit.internal.Member;
import dev.relax.testkit.internal.SimulatorCore;
import dev.relax.testkit.internal.SocketConnection;
import dev.relax.testkit.internal.TeamState;
import dev.relax.testkit.internal.Tokens;
import java.util.Locale;
import java.util.Objects;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * A simulated Slack workspace (team): script its people, conversations and bots, make people act with
 * {@link #as(User)}, and break its sockets on purpose. Every event of the workspace goes to every RTM
 * socket of its bots and to every app installed in it. Thread-safe.
 *
 * <p>Conversations know their members only to shape payloads; the simulator does not stop anyone from
 * posting anywhere. Each person and bot joins every channel that exists when they are added, and every
 * channel starts with everyone already in the workspace.
 */
public final class Workspace {
    private final SimulatorCore core;
    private final TeamState team;

    Workspace(SimulatorCore core, TeamState team) {
        this.core = core;
        this.team = team;
    }

    /** The team id, e.g. {@code T1}. */
    public String id() {
        return team.id();
    }

    /** The team name of rtm.connect's {@code team.name} and auth.test's {@code team}. */
    public String name() {
        return team.name();
    }

    /** The workspace's domain: {@code <domain>.slack.com}. */
    public String domain() {
        return team.domain();
    }

    /** The Enterprise Grid organization of the workspace ({@code E…}), or empty outside one. */
    public String enterpriseId() {
        return team.enterpriseId();
    }

    /** Adds a person (no event: use {@link #join} for someone who joins while clients watch). */
    public User user(String userId, String name) {
        return toUser(addMember(userId, name, ""));
    }

    /** Adds a person and sends {@code team_join} with the full user object (https://api.slack.com/events/team_join). */
    public User join(String userId, String name) {
        Member member = addMember(userId, name, "");
        core.conversations().teamJoin(team, member);
        return toUser(member);
    }

    /** Adds a public channel with everyone now in the workspace. */
    public Channel channel(String channelId, String name) {
        return addChannel(channelId, name, Channel.Type.CHANNEL);
    }

    /** Adds a private channel ({@code G…}, a "group" in RTM) with everyone now in the workspace. */
    public Channel privateGroup(String channelId, String name) {
        return addChannel(channelId, name, Channel.Type.GROUP);
    }

    /**
     * Adds a classic bot user whose token may call the Web API and open RTM connections ({@code
     * rtm.connect}, {@code rtm.start}). Its bot id is {@code B} followed by the user id without its
     * {@code U}.
     */
    public Bot bot(String token, String userId, String name) {
        SlackSimulator.requireId(userId, "userId");
        Tokens.Grant grant = core.tokens().register(token, Tokens.Kind.CLASSIC_BOT, team.id(), userId, "");
        Member member = addMember(userId, name, "B" + userId.substring(1));
        return new Bot(team.id(), member.id(), member.botId(), member.name(), grant.token());
    }

    /** The direct message between a person and a bot, opened with {@code im_created} to the bot's sockets if new. */
    public Channel im(User user, Bot bot) {
        return core.conversations()
                .openIm(team, member(user.id()), member(bot.userId()))
                .channel();
    }

    /** Makes {@code user} act in this workspace. */
    public UserActions as(User user) {
        return new UserActions(core, team, member(user.id()));
    }

    /** The bot joins a channel: {@code channel_joined} or {@code group_joined} to its sockets, {@code member_joined_channel} to apps. */
    public void botJoins(Bot bot, Channel channel) {
        core.conversations().botJoins(team, member(bot.userId()), channelInfo(channel.id()));
    }

    /**
     * The bot leaves a channel, as when someone removes it: {@code channel_left} or {@code group_left} to
     * its sockets, {@code member_left_channel} to apps. Reading the channel then fails as in Slack
     * (conversations.replies answers {@code not_in_channel}, or {@code channel_not_found} for a private one).
     */
    public void botLeaves(Bot bot, Channel channel) {
        core.conversations().botLeaves(team, member(bot.userId()), channelInfo(channel.id()));
    }

    /** Drops every RTM socket of the workspace at once, without a close frame, as a network failure does. */
    public void dropSockets() {
        team.rtmConnections().forEach(SocketConnection::abort);
    }

    /**
     * Makes the workspace's RTM sockets go quiet, as behind a broken network path: nothing is sent to the
     * clients (no pongs, acks or events) and what they send is recorded but not acted on. Sockets stay
     * open until {@link #resume()}.
     */
    public void goSilent() {
        team.silent(true);
    }

    /** Ends {@link #goSilent()}; events that happened meanwhile are not replayed. */
    public void resume() {
        team.silent(false);
    }

    /**
     * Sends {@code {"type":"goodbye"}} to every RTM socket (https://api.slack.com/events/goodbye) and
     * closes each after the close grace, as Slack does before it restarts a message server.
     */
    public void sendGoodbye() {
        for (SocketConnection connection : team.rtmConnections()) {
            connection.send("{\"type\":\"goodbye\"}");
            core.later(core.settings().closeGrace(), () -> connection.close(StatusCode.NORMAL, "goodbye"));
        }
    }

    /**
     * Writes {@code text} as it is to every RTM socket of the workspace: for testing what a client does
     * with a frame Slack should never send (not JSON, an unknown type, a field of the wrong shape).
     */
    public void sendRaw(String text) {
        java.util.Objects.requireNonNull(text, "text");
        team.rtmConnections().forEach(connection -> connection.send(text));
    }

    /** The messages of {@code channel} now, oldest first, as conversations.history would list them (reversed). */
    public java.util.List<ChannelMessage> history(Channel channel) {
        return team.messages(channel.id()).stream()
                .map(m -> new ChannelMessage(m.channel(), m.ts(), m.user(), m.text(), m.threadTs()))
                .toList();
    }

    /** Open RTM sockets of this workspace's bots. */
    public int openConnections() {
        return core.recorder().openConnections(team.id());
    }

    TeamState state() {
        return team;
    }

    Member addMember(String userId, String name, String botId) {
        SlackSimulator.requireId(userId, "userId");
        SlackSimulator.requireId(name, "name");
        Member member = team.addMember(
                new Member(userId, name, realName(name), botId, core.ids().epochSeconds()));
        for (ChannelInfo channel : team.channels()) {
            if (channel.type() != Channel.Type.IM) {
                channel.members().add(member.id());
            }
        }
        return member;
    }

    private Channel addChannel(String channelId, String name, Channel.Type type) {
        SlackSimulator.requireId(channelId, "channelId");
        Objects.requireNonNull(name, "name");
        String creator = team.members().stream()
                .filter(m -> !m.isBot())
                .map(Member::id)
                .findFirst()
                .orElse("");
        ChannelInfo channel = team.addChannel(new ChannelInfo(
                new Channel(channelId, name, type), creator, core.ids().epochSeconds(), ""));
        team.members().forEach(member -> channel.members().add(member.id()));
        return channel.channel();
    }

    Member member(String userId) {
        Member member = team.member(userId);
        if (member == null) {
            throw new IllegalArgumentException("workspace " + team.id() + " has no member " + userId);
        }
        return member;
    }

    ChannelInfo channelInfo(String channelId) {
        ChannelInfo channel = team.channel(channelId);
        if (channel == null) {
            throw new IllegalArgumentException("workspace " + team.id() + " has no channel " + channelId);
        }
        return channel;
    }

    private User toUser(Member member) {
        return new User(team.id(), member.id(), member.name(), member.realName());
    }

    private static String realName(String name) {
        return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    }

    @Override
    public String toString() {
        return "Workspace[" + team.id() + "]";
    }
}
