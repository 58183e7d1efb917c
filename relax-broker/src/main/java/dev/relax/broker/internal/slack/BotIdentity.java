/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import dev.relax.core.protocol.BotId;

/**
 * Who a connection speaks for: the registered bot (team and namespace, which every event carries) and
 * the bot's own Slack user id, learned at login ({@code self.id}).
 */
public record BotIdentity(BotId id, String selfId) {
    public BotIdentity {
        selfId = selfId == null ? "" : selfId;
    }

    public String teamId() {
        return id.teamId();
    }

    public String namespace() {
        return id.namespace();
    }
}
