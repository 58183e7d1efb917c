/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

/**
 * A person or a bot user of a workspace.
 *
 * @param botId the bot's {@code B…} id, empty for a person
 * @param created Unix seconds when the member was added
 */
public record Member(String id, String name, String realName, String botId, long created) {
    public boolean isBot() {
        return !botId.isEmpty();
    }
}
