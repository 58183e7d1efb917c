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
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the {@code message} commands of {@code RelaxClient}'s RTM sends on the bots channel, each with
 * an RTM frame as payload; exactly one broker that holds the bot sends it. Arguments are checked by the
 * caller.
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

    /** The frame {@code {"id":n,"type":"message","channel":...,"text":...}}; returns the command id. */
    public String message(BotId bot, String channel, String text) {
        return frame(
                bot,
                "{\"id\":" + frameId() + ",\"type\":\"message\",\"channel\":" + RelaxJson.quote(channel) + ",\"text\":"
                        + RelaxJson.quote(text) + "}");
    }

    /** The frame {@code {"id":n,"type":"typing","channel":...}}; returns the command id. */
    public String typing(BotId bot, String channel) {
        return frame(
                bot, "{\"id\":" + frameId() + ",\"type\":\"typing\",\"channel\":" + RelaxJson.quote(channel) + "}");
    }

    /** {@code payload} as it is; returns the command id. */
    public String frame(BotId bot, String payload) {
        String id = UUID.randomUUID().toString();
        Long receivers =
                commands.sync().publish(botsPubsub, RelaxJson.encodeCommand(new Command.SendMessage(bot, id, payload)));
        if (receivers == null || receivers == 0) {
            log.warn("message command {} for bot {}: no broker is subscribed to {}", id, bot, botsPubsub);
        }
        return id;
    }

    /** RTM frame ids are integers unique per connection (https://api.slack.com/rtm#sending_messages). */
    private static int frameId() {
        return ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
    }
}
