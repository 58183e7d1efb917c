/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.testkit.StreamedMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A message being written by chat.startStream / appendStream / stopStream. Guarded by its own monitor. */
public final class StreamState {
    private final String teamId;
    private final String channel;
    private final String ts;
    private final String threadTs;
    private final String userId;
    private final Instant started;
    private final List<String> chunks = new ArrayList<>();
    private boolean stopped;

    public StreamState(String teamId, String channel, String ts, String threadTs, String userId, Instant started) {
        this.teamId = teamId;
        this.channel = channel;
        this.ts = ts;
        this.threadTs = threadTs;
        this.userId = userId;
        this.started = started;
    }

    public String userId() {
        return userId;
    }

    public Instant started() {
        return started;
    }

    public synchronized boolean stopped() {
        return stopped;
    }

    public synchronized void append(String chunk) {
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
    }

    public synchronized void stop() {
        stopped = true;
    }

    public synchronized String text() {
        return String.join("", chunks);
    }

    public synchronized StreamedMessage snapshot() {
        return new StreamedMessage(teamId, channel, ts, threadTs, List.copyOf(chunks), stopped);
    }
}
