/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import java.util.List;
import java.util.Objects;

/**
 * One question for the backend: the request body of the contract (docs/relay.md, "The request").
 *
 * @param eventId Slack's event id, else the Relax event's dedupe id; also the {@code Idempotency-Key}
 * @param appId the Slack app ({@code A…}); empty for a classic RTM bot, which has none
 * @param teamId the workspace ({@code T…})
 * @param channel the conversation ({@code C…}, {@code G…}, {@code D…})
 * @param user who asked
 * @param threadTs the thread the answer goes in
 * @param text the question, the mention of the bot stripped; may be empty
 * @param isDm whether it came in a direct message to the bot
 * @param thread the thread's earlier messages, oldest first; {@code null} when thread context is off
 *     (the body then has no {@code thread} field)
 */
record Question(
        String eventId,
        String appId,
        String teamId,
        String channel,
        String user,
        String threadTs,
        String text,
        boolean isDm,
        List<ThreadMessage> thread) {

    Question {
        Objects.requireNonNull(appId, "appId");
        for (String field : new String[] {eventId, teamId, channel, user, threadTs}) {
            if (field == null || field.isEmpty()) {
                throw new IllegalArgumentException("a question needs non-empty ids, got " + field);
            }
        }
        Objects.requireNonNull(text, "text");
        thread = thread == null ? null : List.copyOf(thread);
    }

    /**
     * One earlier message of the thread.
     *
     * @param user who wrote it
     * @param text what it says
     * @param ts its Slack timestamp
     * @param bot whether it is one of the bot's own answers
     */
    record ThreadMessage(String user, String text, String ts, boolean bot) {}
}
