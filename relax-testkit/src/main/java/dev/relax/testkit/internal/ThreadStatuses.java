/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.testkit.ThreadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The assistant thread statuses of one workspace: every status a bot set, and which one Slack shows now.
 * Slack clears a status when the app replies in the thread, when the app sets an empty status, and two
 * minutes after it was set if no message was sent (https://api.slack.com/methods/assistant.threads.setStatus,
 * "Usage info" and the {@code status} argument). Jetty threads write, test threads read; guarded by
 * {@code this}.
 */
public final class ThreadStatuses {
    /** "A two minute timeout applies, which will cause the status to be removed if no message has been sent." */
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** Every accepted call by "channel/threadTs", oldest first. */
    private final Map<String, List<ThreadStatus>> history = new HashMap<>();
    /** The status shown now by "channel/threadTs"; absent once cleared. */
    private final Map<String, ThreadStatus> shown = new HashMap<>();

    public synchronized void set(ThreadStatus status) {
        String key = key(status.channel(), status.threadTs());
        history.computeIfAbsent(key, k -> new ArrayList<>()).add(status);
        if (status.status().isEmpty()) {
            shown.remove(key);
        } else {
            shown.put(key, status);
        }
    }

    /** A message by {@code userId} in the thread: Slack clears that bot's status when it replies. */
    public synchronized void replied(String channel, String threadTs, String userId) {
        String key = key(channel, threadTs);
        ThreadStatus current = shown.get(key);
        if (current != null && current.userId().equals(userId)) {
            shown.remove(key);
        }
    }

    public synchronized List<ThreadStatus> history(String channel, String threadTs) {
        return List.copyOf(history.getOrDefault(key(channel, threadTs), List.of()));
    }

    /** The status shown at {@code now}: none once cleared or {@link #TIMEOUT} after it was set. */
    public synchronized Optional<ThreadStatus> shown(String channel, String threadTs, Instant now) {
        ThreadStatus current = shown.get(key(channel, threadTs));
        if (current == null || !now.isBefore(current.at().plus(TIMEOUT))) {
            return Optional.empty();
        }
        return Optional.of(current);
    }

    private static String key(String channel, String threadTs) {
        return channel + "/" + threadTs;
    }
}
