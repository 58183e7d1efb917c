/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the broadcast mentions a backend writes ({@code <!channel>}, {@code <!here>}, {@code <!everyone>},
 * {@code <!subteam^S0123|@team>}) into plain text ({@code @channel}, {@code @team}) that notifies nobody. A
 * mention may be split across chunks, so a tail that could still become one ({@code <}, {@code <!chan}) is
 * held back until the next chunk or {@link #end()}. Not thread-safe: one per answer, used under its lock.
 */
final class BroadcastFilter {
    private static final Pattern BROADCAST =
            Pattern.compile("<!(channel|here|everyone)(?:\\|[^<>]*)?>|<!subteam\\^([A-Za-z0-9]+)(?:\\|([^<>]*))?>");
    /** A held-back tail longer than this is no mention: Slack's longest is well under it. */
    private static final int MAX_HELD = 200;

    private final StringBuilder held = new StringBuilder();

    /** The safe text of {@code chunk} (with what was held back before it); may be empty. */
    String accept(String chunk) {
        held.append(chunk);
        int tail = openTail();
        String ready = held.substring(0, tail);
        held.delete(0, tail);
        return neutralise(ready);
    }

    /** Whatever is still held back, made safe: the answer has ended. */
    String end() {
        String rest = neutralise(held.toString());
        held.setLength(0);
        return rest;
    }

    /** Where a possible unfinished mention starts, or the length when there is none. */
    private int openTail() {
        int open = held.lastIndexOf("<");
        if (open < 0 || held.indexOf(">", open) >= 0 || held.length() - open > MAX_HELD) {
            return held.length();
        }
        boolean couldBeMention = open == held.length() - 1 || held.charAt(open + 1) == '!';
        return couldBeMention ? open : held.length();
    }

    static String neutralise(String text) {
        if (text.indexOf("<!") < 0) {
            return text;
        }
        Matcher m = BROADCAST.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String plain;
            if (m.group(1) != null) {
                plain = "@" + m.group(1);
            } else if (m.group(3) != null && !m.group(3).isBlank()) {
                String label = m.group(3);
                plain = label.startsWith("@") ? label : "@" + label;
            } else {
                plain = "@" + m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(plain));
        }
        m.appendTail(out);
        return out.toString();
    }
}
