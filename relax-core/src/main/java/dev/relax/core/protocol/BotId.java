/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

import java.util.Objects;

/**
 * Identifies a bot: its Slack team and its namespace (empty when it has none). The hash field under
 * {@code RELAX_BOTS_KEY} is {@link #hashField()}: {@code <team_id>}, or {@code <namespace>-<team_id>}
 * with a namespace. The same string names the running bot inside a broker and in its logs.
 */
public record BotId(String teamId, String namespace) {

    public BotId {
        Objects.requireNonNull(teamId, "teamId");
        namespace = namespace == null ? "" : namespace;
    }

    /** A bot without a namespace. */
    public static BotId of(String teamId) {
        return new BotId(teamId, "");
    }

    /** The field of the bots hash that holds this bot's registration. */
    public String hashField() {
        return namespace.isEmpty() ? teamId : namespace + "-" + teamId;
    }

    @Override
    public String toString() {
        return hashField();
    }
}
