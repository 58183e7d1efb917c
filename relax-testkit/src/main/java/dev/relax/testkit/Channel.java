/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.util.Objects;

/**
 * A conversation of a simulated workspace, as returned by {@link Workspace#channel}, {@link
 * Workspace#privateGroup} and {@link Workspace#im}.
 *
 * @param id the conversation id: {@code C…}, {@code G…} or {@code D…}
 * @param name the name without {@code #}; for a direct message the other person's user id
 */
public record Channel(String id, String name, Type type) {
    /** The kind of conversation, which decides the {@code channel_type} of Events API messages. */
    public enum Type {
        CHANNEL("channel"),
        GROUP("group"),
        IM("im");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** The {@code channel_type} value Slack sends for this kind: {@code channel}, {@code group} or {@code im}. */
        public String wireName() {
            return wireName;
        }
    }

    public Channel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
