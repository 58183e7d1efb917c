/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;

/**
 * How every translator reads Slack's JSON and fills a timestamp Slack does not give, the same way for RTM
 * frames and for app payloads, so that both halves of the broker write the same values.
 */
public final class SlackJson {
    private SlackJson() {}

    /**
     * The text of field {@code name} of {@code node}, as the Go broker read it: "" when the node or the
     * field is absent, null, an object or an array; a number or boolean as its text.
     */
    public static String text(JsonNode node, String name) {
        JsonNode v = node == null ? null : node.get(name);
        return v == null || v.isNull() || v.isContainerNode() ? "" : v.asText();
    }

    /** The clock's now as Unix nanoseconds: the Go broker's generated {@code event_timestamp}. */
    public static String nanos(Clock clock) {
        Instant now = clock.instant();
        return Long.toString(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }
}
