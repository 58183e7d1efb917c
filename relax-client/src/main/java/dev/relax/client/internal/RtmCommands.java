/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.client.CallResult;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.Command;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code RelaxClient}'s RTM sends as {@code message} commands on the bots channel, each with an
 * RTM frame ({@link RtmFrames}) as payload; exactly one broker that holds the bot sends it.
 */
public final class RtmCommands {
    private static final Logger log = LoggerFactory.getLogger(RtmCommands.class);

    /** The client's shared connection, not closed here. */
    private final RedisConnection commands;

    private final String botsPubsub;

    public RtmCommands(RedisConnection commands, String botsPubsub) {
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
     * Posts {@code text} in {@code channel} through {@code bot}'s socket as command {@code id}, asking the
     * broker that sends it for Slack's answer: the result of call {@code id}, tracked by {@code calls}
     * before the command is published; {@code no_broker} at once when no broker is subscribed.
     */
    public CompletableFuture<CallResult> reply(BotId bot, String id, String channel, String text, CallTracker calls) {
        CompletableFuture<CallResult> result = calls.track(id);
        if (!publish(new Command.SendMessage(bot, id, RtmFrames.message(channel, text), true))) {
            result.complete(new CallResult(id, false, "message", channel, "", "no_broker", 0, "{}"));
        }
        return result;
    }

    private boolean publish(Command.SendMessage message) {
        long receivers = commands.publish(botsPubsub, RelaxJson.encodeCommand(message));
        if (receivers == 0) {
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
