/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextCutTest {
    @Test
    void textThatFitsIsNotCut() {
        assertThat(TextCut.at("short", 10)).isEqualTo(5);
    }

    @Test
    void cutsAfterTheLastLineBreakBeforeTheLimitThenAfterASpace() {
        assertThat(TextCut.at("line one\nline two words", 20)).isEqualTo(9);
        assertThat(TextCut.at("one two three four", 10)).isEqualTo(8);
    }

    @Test
    void cutsAWordWithoutSpacesAtTheLimitButNeverASurrogatePair() {
        assertThat(TextCut.at("x".repeat(30), 10)).isEqualTo(10);
        String emoji = "x".repeat(9) + "\uD83D\uDE00" + "tail";
        assertThat(TextCut.at(emoji, 10)).isEqualTo(9);
    }
}
