/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

/** Where to cut text that must continue in another message: at a line or word end near the limit. */
final class TextCut {
    /** How far back from the limit a line or word end is looked for, before cutting mid-word. */
    private static final int LOOK_BACK = 500;

    private TextCut() {}

    /** The length of the first part of {@code text} when a part holds at most {@code max} characters. */
    static int at(CharSequence text, int max) {
        if (text.length() <= max) {
            return text.length();
        }
        if (max <= 0) {
            return 0;
        }
        int floor = Math.max(1, max - LOOK_BACK);
        for (int i = max; i >= floor; i--) {
            if (text.charAt(i - 1) == '\n') {
                return i;
            }
        }
        for (int i = max; i >= floor; i--) {
            if (text.charAt(i - 1) == ' ') {
                return i;
            }
        }
        return Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    }
}
