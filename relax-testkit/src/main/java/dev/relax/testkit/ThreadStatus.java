/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.time.Instant;
import java.util.List;

/**
 * One {@code assistant.threads.setStatus} call as the simulator accepted it: the "is thinking…" line a
 * bot shows in a thread while it works (https://api.slack.com/methods/assistant.threads.setStatus).
 *
 * @param threadTs the ts of the thread's parent message
 * @param userId the bot user that set it
 * @param status the status text; empty when the call cleared the status
 * @param loadingMessages the {@code loading_messages} Slack rotates through, empty when none were given
 * @param at when the simulator accepted the call, by its clock
 */
public record ThreadStatus(
        String teamId,
        String channel,
        String threadTs,
        String userId,
        String status,
        List<String> loadingMessages,
        Instant at) {
    public ThreadStatus {
        loadingMessages = List.copyOf(loadingMessages);
    }
}
