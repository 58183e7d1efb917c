/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tests' SSE reader reads streams the way the spec does, so what it sees is what a relay sees. */
class SseReaderTest {

    @Test
    void joinsMultiLineDataAndNamesEventsAcrossLineEndings() {
        SseReader.Stream stream =
                SseReader.read(": hi\r\ndata: one\rdata:two\n\nevent: done\ndata\n\nevent: empty\n\ndata: last"
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(stream.comments()).containsExactly("hi");
        assertThat(stream.events())
                .containsExactly(new SseReader.Event("message", "one\ntwo"), new SseReader.Event("done", ""));
    }
}
