/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

/**
 * Text that came from outside (a request's path, headers, remote address, an app id from an unverified
 * body), made safe to put in a log line or a plain-text answer: one escaping for every such value, so that
 * a {@code %0A} in a path cannot forge a log line nor an {@code ESC} drive the operator's terminal.
 */
public final class LogText {
    /** Longer values are cut here and say how much was cut: a log line is no place for a request body. */
    public static final int MAX_LENGTH = 200;

    private LogText() {}

    /**
     * {@code value} with backslashes doubled, {@code \n}, {@code \r} and {@code \t} written as such, and
     * every other control, format, separator, private-use, surrogate or unassigned character as
     * {@code &#92;uXXXX}; cut to {@link #MAX_LENGTH} characters with {@code ...(+N)} saying how many
     * more there were. {@code null} is {@code "null"}.
     */
    public static String escape(CharSequence value) {
        if (value == null) {
            return "null";
        }
        int length = value.length();
        int shown = Math.min(length, MAX_LENGTH);
        StringBuilder out = null;
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            String replacement = replacement(c);
            if (replacement != null && out == null) {
                out = new StringBuilder(shown + 16).append(value, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        String text = out != null ? out.toString() : value.subSequence(0, shown).toString();
        return shown < length ? text + "...(+" + (length - shown) + ")" : text;
    }

    /** What {@code c} is written as, or null when it is printable as it is. */
    private static String replacement(char c) {
        switch (c) {
            case '\\' -> {
                return "\\\\";
            }
            case '\n' -> {
                return "\\n";
            }
            case '\r' -> {
                return "\\r";
            }
            case '\t' -> {
                return "\\t";
            }
            default -> {
                if (c >= 0x20 && c < 0x7f) {
                    return null;
                }
            }
        }
        // Surrogates are escaped one by one: a lone half would otherwise reach the log as '?' or break it.
        return switch (Character.getType(c)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.PRIVATE_USE,
                    Character.SURROGATE,
                    Character.UNASSIGNED -> String.format("\\u%04x", (int) c);
            default -> null;
        };
    }
}
