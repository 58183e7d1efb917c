/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadyDocumentTest {
    enum State {
        STARTING,
        CONNECTED,
        DISABLED
    }

    @Test
    void writesTheDocumentedFieldsInTheirOrder() {
        Map<State, Long> bots = new EnumMap<>(State.class);
        bots.put(State.STARTING, 0L);
        bots.put(State.CONNECTED, 12L);
        bots.put(State.DISABLED, 2L);

        String json = new ReadyDocument(true, true, 3, ReadyDocument.byName(bots), 1, 2).toJson(new ObjectMapper());

        assertThat(json)
                .isEqualTo("{\"ready\":true,\"redis\":true,\"buffered_events\":3,"
                        + "\"bots\":{\"starting\":0,\"connected\":12,\"disabled\":2},"
                        + "\"apps\":1,\"socket_mode_connections\":2}");
    }

    @Test
    void beforeRedisAnsweredEverythingIsZero() {
        assertThat(new ReadyDocument(false, false, 0, Map.of(), 0, 0).toJson(new ObjectMapper()))
                .isEqualTo("{\"ready\":false,\"redis\":false,\"buffered_events\":0,\"bots\":{},\"apps\":0,"
                        + "\"socket_mode_connections\":0}");
    }
}
