/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import java.time.Duration;

/**
 * How RTM connections behave.
 *
 * @param loginMethod {@code rtm.connect} (default) or {@code rtm.start}
 * @param mentionsAndDmsOnly report {@code message_new} only for DMs and messages that mention the bot
 * @param outboxCapacity {@code message} commands a bot keeps while its socket is down
 */
public record RtmSettings(
        String loginMethod,
        Duration pingInterval,
        int maxMissedPongs,
        Backoff backoff,
        boolean mentionsAndDmsOnly,
        int outboxCapacity) {}
