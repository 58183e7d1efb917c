/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body of {@code GET /ready} (docs/operations.md), e.g. {@code
 * {"ready":true,"redis":true,"buffered_events":0,"bots":{"starting":0,"connected":12,...},"apps":1,"socket_mode_connections":1}}.
 *
 * @param bots bots by state, lower-case names in the states' order
 */
@JsonPropertyOrder({"ready", "redis", "buffered_events", "bots", "apps", "socket_mode_connections"})
public record ReadyDocument(
        boolean ready,
        boolean redis,
        @JsonProperty("buffered_events") long bufferedEvents,
        Map<String, Long> bots,
        int apps,
        @JsonProperty("socket_mode_connections") int socketModeConnections) {

    /** {@code counts} keyed by the lower-case names of its states, in their order. */
    public static <S extends Enum<S>> Map<String, Long> byName(Map<S, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((state, n) -> out.put(state.name().toLowerCase(Locale.ROOT), n));
        return out;
    }

    public String toJson(ObjectMapper json) {
        try {
            return json.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the /ready document", e); // booleans and numbers only
        }
    }
}
