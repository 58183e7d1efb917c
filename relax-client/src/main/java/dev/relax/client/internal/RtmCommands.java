/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.Command;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code RelaxClient}'s RTM sends as {@code message} commands on the bots channel, each with an
 * RTM frame ({@link RtmFrames}) as payload; exactly one broker that holds the bot sends it.
 */
public final class RtmCommands {
    private static final Logger log = LoggerFactory.getLogger(RtmCommands.class);

    /** The client's shared connection, not closed here. */
    private final StatefulRedisConnection<String, String> commands;

    private final String botsPubsub;

    public RtmCommands(StatefulRedisConnection<String, String> commands, String botsPubsub) {
        this.commands = commands;
        this.botsPubsub = botsPubsub;
    }

    /** Publishes {@code payload} for {@code bot}; returns the command id. Warns when no broker listens. */
    public String send(BotId bot, String payload) {
        String id = UUID.randomUUID().toString();
        publish(new Command.SendMessage(bot, id, payload));
        return id;
    }

    /**
     * Publishes {@code payload} for {@code bot} as command {@code id}, asking the broker that sends it to
     * store Slack's answer as the result of call {@code id}; false when no broker is subscribed.
     */
    public boolean sendForResult(BotId bot, String id, String payload) {
        return publish(new Command.SendMessage(bot, id, payload, true));
    }

    private boolean publish(Command.SendMessage message) {
        Long receivers = commands.sync().publish(botsPubsub, RelaxJson.encodeCommand(message));
        if (receivers == null || receivers == 0) {
            log.warn(
                    "message command {} for bot {}: no broker is subscribed to {}",
                    message.id(),
                    message.bot(),
                    botsPubsub);
            return false;
        }
        return true;
    }
}
