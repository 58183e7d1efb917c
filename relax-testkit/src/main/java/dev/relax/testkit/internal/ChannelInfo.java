/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.testkit.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A conversation of a workspace: public channel, private channel ("group") or direct message. The
 * member set only shapes payloads ({@code members}, {@code is_member}); the simulator does not limit who
 * may post where.
 */
public final class ChannelInfo {
    private final Channel channel;
    private final String creator;
    private final long created;
    /** For a direct message, the person on the other side of the bot. */
    private final String imUser;

    private final Set<String> members = ConcurrentHashMap.newKeySet();

    public ChannelInfo(Channel channel, String creator, long created, String imUser) {
        this.channel = channel;
        this.creator = creator;
        this.created = created;
        this.imUser = imUser;
    }

    public Channel channel() {
        return channel;
    }

    public String id() {
        return channel.id();
    }

    public String name() {
        return channel.name();
    }

    public Channel.Type type() {
        return channel.type();
    }

    public String creator() {
        return creator;
    }

    public long created() {
        return created;
    }

    public String imUser() {
        return imUser;
    }

    public Set<String> members() {
        return members;
    }
}
