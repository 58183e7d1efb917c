/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.util.List;

/**
 * A snapshot of a message written with chat.startStream, chat.appendStream and chat.stopStream.
 *
 * @param threadTs the thread the stream replies in; empty for a top-level stream
 * @param chunks the markdown text of each call, in order
 * @param stopped whether chat.stopStream finished it
 */
public record StreamedMessage(
        String teamId, String channel, String ts, String threadTs, List<String> chunks, boolean stopped) {
    public StreamedMessage {
        chunks = List.copyOf(chunks);
    }

    /** The text so far: every chunk joined. */
    public String text() {
        return String.join("", chunks);
    }
}
