/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
    private final List<String> events = new ArrayList<>();
    private final SseParser parser = new SseParser((type, data) -> events.add(type + "=" + data));

    @Test
    void dispatchesDataOnBlankLineAsMessage() {
        parser.feed("data: hello\n\n");
        assertThat(events).containsExactly("message=hello");
    }

    @Test
    void joinsMultipleDataLinesWithLineFeed() {
        parser.feed("data: one\ndata:two\ndata:  three\n\n");
        assertThat(events).containsExactly("message=one\ntwo\n three");
    }

    @Test
    void acceptsCrLfAndCrLineEndings() {
        parser.feed("data: a\r\n\r\ndata: b\r\rdata: c\n\r\n");
        assertThat(events).containsExactly("message=a", "message=b", "message=c");
    }

    @Test
    void crLfSplitBetweenTwoPiecesIsOneLineEnd() {
        parser.feed("data: a\r");
        parser.feed("\ndata: b\r");
        parser.feed("\n\r");
        parser.feed("\n");
        assertThat(events).containsExactly("message=a\nb");
    }

    @Test
    void linesSplitAnywhereGiveTheSameEvents() {
        String stream = "event: done\ndata: {}\n\n: ping\ndata: x\n\n";
        for (char c : stream.toCharArray()) {
            parser.feed(String.valueOf(c));
        }
        assertThat(events).containsExactly("done={}", "message=x");
    }

    @Test
    void ignoresCommentsAndKeepAlives() {
        parser.feed(": keep-alive\n\n:\ndata: x\n: inside\n\n");
        assertThat(events).containsExactly("message=x");
    }

    @Test
    void namesEventsAndResetsTheNameAfterDispatch() {
        parser.feed("event: error\ndata: {\"message\":\"no\"}\n\ndata: next\n\n");
        assertThat(events).containsExactly("error={\"message\":\"no\"}", "message=next");
    }

    @Test
    void eventWithoutDataIsNotDispatchedAndItsNameIsForgotten() {
        parser.feed("event: done\n\ndata: later\n\n");
        assertThat(events).containsExactly("message=later");
    }

    @Test
    void emptyDataLineDispatchesAnEmptyEvent() {
        parser.feed("event: done\ndata:\n\n");
        assertThat(events).containsExactly("done=");
    }

    @Test
    void removesOnlyOneLeadingSpaceOfAValue() {
        parser.feed("data:   spaced  \n\n");
        assertThat(events).containsExactly("message=  spaced  ");
    }

    @Test
    void lineWithoutColonIsAFieldWithEmptyValue() {
        parser.feed("data\n\nthis line has no colon\n\n");
        assertThat(events).containsExactly("message=");
    }

    @Test
    void ignoresIdRetryAndUnknownFields() {
        parser.feed("id: 7\nretry: 1000\nfoo: bar\ndata: x\n\n");
        assertThat(events).containsExactly("message=x");
    }

    @Test
    void eventNotEndedByBlankLineIsDroppedAtEndOfStream() {
        parser.feed("data: whole\n\nevent: done\ndata: {}");
        assertThat(events).containsExactly("message=whole");
    }

    @Test
    void skipsLeadingByteOrderMarkOnly() {
        parser.feed("\uFEFFdata: a\uFEFF\n\n");
        assertThat(events).containsExactly("message=a\uFEFF");
    }

    @Test
    void keepsColonsInTheValue() {
        parser.feed("data: {\"text\":\"a: b\"}\n\n");
        assertThat(events).containsExactly("message={\"text\":\"a: b\"}");
    }
}
