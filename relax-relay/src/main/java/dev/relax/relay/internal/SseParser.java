/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import java.util.function.BiConsumer;

/**
 * Reads Server-Sent Events as the WHATWG spec's "interpreting an event stream" says, from text fed in
 * pieces as it arrives: lines end in CR, LF or CRLF (also when a CRLF is split between two pieces); a
 * line starting with {@code :} is a comment; {@code field: value} loses one leading space of the value; a
 * line without a colon is a field with an empty value; {@code data} lines are joined with {@code \n};
 * a blank line dispatches the event (type {@code message} unless {@code event:} named one), but only when
 * it had at least one {@code data} line. {@code id} and {@code retry} are ignored: the relay never
 * reconnects to a stream. An event not ended by a blank line when the stream ends is dropped, as the spec
 * says. The text is already decoded (UTF-8, the spec's only encoding); a leading BOM is skipped.
 *
 * <p>Not thread-safe: one parser per response, fed by the thread that reads it.
 */
final class SseParser {
    /** The type of an event without an {@code event:} field. */
    static final String MESSAGE = "message";

    private final BiConsumer<String, String> events;
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type = "";
    private boolean lastWasCr;
    private boolean started;

    /** @param events receives (type, data) of each dispatched event, on the feeding thread */
    SseParser(BiConsumer<String, String> events) {
        this.events = events;
    }

    /** Reads {@code length} chars of {@code text} from {@code offset}; dispatches the events they end. */
    void feed(char[] text, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = text[i];
            if (!started) {
                started = true;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            if (c == '\n' && lastWasCr) {
                lastWasCr = false; // the LF of a CRLF: the CR already ended the line
                continue;
            }
            lastWasCr = c == '\r';
            if (c == '\r' || c == '\n') {
                endLine();
            } else {
                line.append(c);
            }
        }
    }

    /** Reads {@code text}; see {@link #feed(char[], int, int)}. */
    void feed(String text) {
        feed(text.toCharArray(), 0, text.length());
    }

    private void endLine() {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            line.setLength(0);
            return;
        }
        int colon = line.indexOf(":");
        String field = colon < 0 ? line.toString() : line.substring(0, colon);
        int valueStart = colon < 0 ? line.length() : colon + 1;
        if (valueStart < line.length() && line.charAt(valueStart) == ' ') {
            valueStart++;
        }
        String value = line.substring(valueStart);
        line.setLength(0);
        switch (field) {
            case "event" -> type = value;
            case "data" -> {
                data.append(value).append('\n');
                hasData = true;
            }
            default -> {} // id, retry and unknown fields: ignored
        }
    }

    private void dispatch() {
        if (!hasData) {
            type = ""; // the spec resets the buffers even when nothing is dispatched
            return;
        }
        data.setLength(data.length() - 1); // the spec drops the last LF
        String eventType = type.isEmpty() ? MESSAGE : type;
        String eventData = data.toString();
        data.setLength(0);
        hasData = false;
        type = "";
        events.accept(eventType, eventData);
    }
}
