/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AnswerWriter} writes an answer into Slack.
 *
 * @param flushChars a streamed answer's buffered text is appended (chat.appendStream) once it reaches this
 *     many characters
 * @param flushInterval ... or once this long has passed since the last call, whatever its size
 * @param updateInterval without streaming, the answer's message is edited (chat.update) at most this often
 * @param allowBroadcasts whether {@code <!channel>}, {@code <!here>}, {@code <!everyone>} and user-group
 *     mentions in the backend's text stay live; by default they become plain text
 * @param maxStreamChars a streamed message is stopped at this many characters and the answer continues in a
 *     new one (Slack limits each {@code markdown_text} to 12,000 characters; the whole message is kept under
 *     the same bound)
 * @param maxMessageChars a posted message is cut at this many characters and the answer continues in a new
 *     one (chat.postMessage answers {@code msg_too_long} above 40,000)
 */
record AnswerSettings(
        int flushChars,
        Duration flushInterval,
        Duration updateInterval,
        boolean allowBroadcasts,
        int maxStreamChars,
        int maxMessageChars) {
    static final int DEFAULT_FLUSH_CHARS = 500;
    static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofSeconds(1);
    static final int SLACK_MARKDOWN_LIMIT = 12_000;
    static final int SLACK_TEXT_LIMIT = 40_000;

    AnswerSettings {
        requireRange(flushChars, 1, SLACK_MARKDOWN_LIMIT, "flushChars");
        requirePositive(flushInterval, "flushInterval");
        requirePositive(updateInterval, "updateInterval");
        requireRange(maxStreamChars, 100, SLACK_MARKDOWN_LIMIT, "maxStreamChars");
        requireRange(maxMessageChars, 100, SLACK_TEXT_LIMIT, "maxMessageChars");
    }

    /** 500 characters or 1 s, updates at most once a second, broadcasts neutralised, Slack's limits. */
    static AnswerSettings defaults() {
        return new AnswerSettings(
                DEFAULT_FLUSH_CHARS,
                DEFAULT_FLUSH_INTERVAL,
                DEFAULT_UPDATE_INTERVAL,
                false,
                SLACK_MARKDOWN_LIMIT,
                SLACK_TEXT_LIMIT);
    }

    private static void requireRange(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
