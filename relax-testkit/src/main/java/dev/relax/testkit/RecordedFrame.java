/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;

/**
 * One websocket text frame, as a client sent it to the simulator or received it.
 *
 * @param at when the simulator read or wrote it
 * @param text the frame exactly as it went over the wire
 */
public record RecordedFrame(Instant at, String text) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The frame parsed as JSON; a {@code MissingNode} when it is not JSON. */
    public JsonNode json() {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            return MAPPER.missingNode();
        }
    }

    /** The frame's {@code type} field, or an empty string (acks and replies have none). */
    public String type() {
        return json().path("type").asText("");
    }

    @Override
    public String toString() {
        return at + " " + text;
    }
}
