/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a whole {@code text/event-stream} body as the WHATWG spec's "interpreting an event stream" does:
 * lines end in CRLF, LF or CR; a blank line dispatches the event (not when its data is empty); multi-line
 * data is joined with {@code \n}; {@code :} lines are comments; a line without a colon is a field with an
 * empty value; an event left without its blank line at the end of the stream is dropped.
 */
final class SseReader {
    /** A dispatched event; {@code type} is {@code message} unless an {@code event:} line named it. */
    record Event(String type, String data) {}

    /** What the stream held: its dispatched events and its comments, in order. */
    record Stream(List<Event> events, List<String> comments) {
        List<String> data(String type) {
            return events.stream()
                    .filter(event -> event.type().equals(type))
                    .map(Event::data)
                    .toList();
        }
    }

    private SseReader() {}

    static Stream read(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Event> events = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        String type = "";
        int start = 0;
        while (start < text.length()) {
            int cr = text.indexOf('\r', start);
            int lf = text.indexOf('\n', start);
            int end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
            if (end < 0) {
                break; // the last line has no end: the event it belongs to is never dispatched
            }
            String line = text.substring(start, end);
            start = end + (text.startsWith("\r\n", end) ? 2 : 1);
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    data.setLength(data.length() - 1);
                    events.add(new Event(type.isEmpty() ? "message" : type, data.toString()));
                }
                data.setLength(0);
                type = "";
            } else if (line.startsWith(":")) {
                comments.add(line.substring(1).strip());
            } else {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                value = value.startsWith(" ") ? value.substring(1) : value;
                switch (field) {
                    case "event" -> type = value;
                    case "data" -> data.append(value).append('\n');
                    default -> {} // id, retry and unknown fields do not matter here
                }
            }
        }
        return new Stream(events, comments);
    }
}
