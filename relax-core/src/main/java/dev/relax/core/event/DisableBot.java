/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code disable_bot}: Slack refused the bot's token (revoked, invalid, account inactive). The broker
 * stops the bot and will not retry it until a new {@code team_added}.
 */
public record DisableBot(WireEvent wire) implements RelaxEvent {

    public DisableBot {
        EventTypes.require(wire, Protocol.EVENT_DISABLE_BOT);
    }
}
