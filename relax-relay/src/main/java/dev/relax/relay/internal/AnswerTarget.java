/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

/**
 * Where an answer goes: the thread of the question, answered as the Slack app {@code appId} in workspace
 * {@code teamId}.
 *
 * @param threadTs the question's thread, or the question's own ts when it started no thread
 * @param userId who asked (chat.startStream's {@code recipient_user_id}, which Slack requires outside
 *     direct messages); may be empty in a direct message
 */
record AnswerTarget(String appId, String teamId, String channel, String threadTs, String userId) {
    AnswerTarget {
        requireText(appId, "appId");
        requireText(teamId, "teamId");
        requireText(channel, "channel");
        requireText(threadTs, "threadTs");
        if (userId == null) {
            throw new IllegalArgumentException("userId must not be null");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
