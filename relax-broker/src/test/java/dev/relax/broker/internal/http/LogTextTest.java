/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void keepsPrintableTextAsItIs() {
        assertThat(LogText.escape("/slack/events/A0123 remote=10.0.0.7:51234 café 日本"))
                .isEqualTo("/slack/events/A0123 remote=10.0.0.7:51234 café 日本");
    }

    @Test
    void escapesLineBreaksControlsAndBackslashesUnambiguously() {
        assertThat(LogText.escape("a\nb\rc\td\\n\u001b[31m\u0000\u007f\u0085\u2028\u200e"))
                .isEqualTo("a\\nb\\rc\\td\\\\n\\u001b[31m\\u0000\\u007f\\u0085\\u2028\\u200e");
    }

    @Test
    void cutsLongValuesAndSaysHowMuchWasCut() {
        String escaped = LogText.escape("x".repeat(LogText.MAX_LENGTH + 57));

        assertThat(escaped).isEqualTo("x".repeat(LogText.MAX_LENGTH) + "...(+57)");
    }

    @Test
    void writesNullAsNull() {
        assertThat(LogText.escape(null)).isEqualTo("null");
    }
}
