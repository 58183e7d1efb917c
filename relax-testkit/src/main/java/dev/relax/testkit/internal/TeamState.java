/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.testkit.Channel;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One workspace: its people, bots, conversations, messages, the RTM sockets of its bots and the apps
 * installed in it. Every collection is concurrent: tests script from their own thread while Jetty threads
 * serve the sockets.
 */
public final class TeamState {
    private final String id;
    private final String name;
    private final String domain;
    private final long created;

    /** Sorted by id so that rtm.start lists come out in a stable order. */
    private final Map<String, Member> members = new ConcurrentSkipListMap<>();

    private final Map<String, ChannelInfo> channels = new ConcurrentSkipListMap<>();
    /** Direct messages by "user/bot user" pair. */
    private final Map<String, ChannelInfo> ims = new ConcurrentHashMap<>();
    /** Messages by "channel/ts". */
    private final Map<String, MessageInfo> messages = new ConcurrentHashMap<>();
    /** Streams by "channel/ts". */
    private final Map<String, StreamState> streams = new ConcurrentHashMap<>();

    private final ThreadStatuses threadStatuses = new ThreadStatuses();

    private final Set<SocketConnection> rtmConnections = ConcurrentHashMap.newKeySet();
    private final List<Installation> installations = new CopyOnWriteArrayList<>();
    private volatile boolean silent;
    /** The Enterprise Grid organization the workspace belongs to, or empty. */
    private volatile String enterpriseId = "";

    public TeamState(String id, String name, String domain, long created) {
        this.id = id;
        this.name = name;
        this.domain = domain;
        this.created = created;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String domain() {
        return domain;
    }

    public long created() {
        return created;
    }

    /** Adds a member; adding the same id, name and bot id again is a no-op, anything else with that id fails. */
    public Member addMember(Member member) {
        Member existing = members.putIfAbsent(member.id(), member);
        if (existing != null
                && !(existing.name().equals(member.name()) && existing.botId().equals(member.botId()))) {
            throw new IllegalArgumentException("workspace " + id + " already has a member " + member.id());
        }
        return existing == null ? member : existing;
    }

    /** The member with this id, or {@code null}. */
    public Member member(String memberId) {
        return memberId == null ? null : members.get(memberId);
    }

    public Collection<Member> members() {
        return members.values();
    }

    public ChannelInfo addChannel(ChannelInfo channel) {
        ChannelInfo existing = channels.putIfAbsent(channel.id(), channel);
        if (existing != null) {
            if (!existing.channel().equals(channel.channel())) {
                throw new IllegalArgumentException("workspace " + id + " already has a channel " + channel.id());
            }
            return existing;
        }
        if (channel.type() == Channel.Type.IM) {
            ims.put(channel.imUser() + "/" + channel.creator(), channel);
        }
        return channel;
    }

    /** The conversation with this id, or with this name ({@code general} or {@code #general}), or {@code null}. */
    public ChannelInfo channel(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            return null;
        }
        ChannelInfo byId = channels.get(idOrName);
        if (byId != null) {
            return byId;
        }
        String name = idOrName.startsWith("#") ? idOrName.substring(1) : idOrName;
        for (ChannelInfo channel : channels.values()) {
            if (channel.type() != Channel.Type.IM && channel.name().equals(name)) {
                return channel;
            }
        }
        return null;
    }

    public Collection<ChannelInfo> channels() {
        return channels.values();
    }

    /** The direct message between a person and a bot user, or {@code null}. */
    public ChannelInfo im(String userId, String botUserId) {
        return ims.get(userId + "/" + botUserId);
    }

    public void putMessage(MessageInfo message) {
        messages.put(message.channel() + "/" + message.ts(), message);
    }

    public MessageInfo message(String channel, String ts) {
        return messages.get(channel + "/" + ts);
    }

    /** The messages of a conversation now, oldest first. */
    public List<MessageInfo> messages(String channel) {
        return messages.values().stream()
                .filter(m -> m.channel().equals(channel))
                .sorted(java.util.Comparator.comparing(MessageInfo::ts))
                .toList();
    }

    /** Every message of every conversation now, in no order. */
    public java.util.Collection<MessageInfo> messages() {
        return List.copyOf(messages.values());
    }

    public MessageInfo removeMessage(String channel, String ts) {
        return messages.remove(channel + "/" + ts);
    }

    public void putStream(String channel, String ts, StreamState stream) {
        streams.put(channel + "/" + ts, stream);
    }

    public StreamState stream(String channel, String ts) {
        return streams.get(channel + "/" + ts);
    }

    public Collection<StreamState> streams() {
        return streams.values();
    }

    public ThreadStatuses threadStatuses() {
        return threadStatuses;
    }

    public Set<SocketConnection> rtmConnections() {
        return rtmConnections;
    }

    public List<Installation> installations() {
        return installations;
    }

    public String enterpriseId() {
        return enterpriseId;
    }

    /** Puts the workspace into an organization; a workspace belongs to one organization for good. */
    public synchronized void enterpriseId(String id) {
        if (!enterpriseId.isEmpty() && !enterpriseId.equals(id)) {
            throw new IllegalArgumentException("workspace " + this.id + " already belongs to " + enterpriseId);
        }
        enterpriseId = id;
    }

    public boolean silent() {
        return silent;
    }

    public void silent(boolean value) {
        silent = value;
    }
}
