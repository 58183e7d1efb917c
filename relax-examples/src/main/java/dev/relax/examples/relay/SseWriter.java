/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples.relay;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes Server-Sent Events as the WHATWG spec reads them, flushing after each so the client sees it at
 * once. A value with line breaks becomes several {@code data:} lines, which a reader joins with
 * {@code \n}. One writer per response, used by the handler thread only.
 */
final class SseWriter {
    private final OutputStream out;

    SseWriter(OutputStream out) {
        this.out = out;
    }

    /** A comment line, which readers ignore (keep-alives). */
    void comment(String text) throws IOException {
        write(":" + (text.isEmpty() ? "" : " " + text) + "\n\n");
    }

    /** A {@code message} event (no {@code event:} line). */
    void data(String data) throws IOException {
        event(null, data);
    }

    /** An event named {@code type} ({@code null} for the default {@code message}). */
    void event(String type, String data) throws IOException {
        StringBuilder event = new StringBuilder();
        if (type != null) {
            event.append("event: ").append(type).append('\n');
        }
        for (String line : data.split("\r\n|\r|\n", -1)) {
            event.append("data: ").append(line).append('\n');
        }
        write(event.append('\n').toString());
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
