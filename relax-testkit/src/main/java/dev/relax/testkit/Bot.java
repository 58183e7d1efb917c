/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.core.Secret;
import java.util.Objects;

/**
 * A bot user of a simulated workspace and its token, as returned by {@link Workspace#bot} and {@link
 * App#install}. Hand {@code token().reveal()} to the code under test.
 *
 * @param userId the bot's {@code U…} user id ({@code self.id} of rtm.connect)
 * @param botId the bot's {@code B…} id, which Slack puts in {@code bot_id} of the bot's messages
 * @param name the bot's user name ({@code self.name} of rtm.connect)
 */
public record Bot(String teamId, String userId, String botId, String name, Secret token) {
    public Bot {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(botId, "botId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(token, "token");
    }
}
