/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallEntryTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsAnEntryAsRedisCliWouldWriteIt() {
        CallEntry call = CallEntry.parse(
                "1700000000000-3",
                "T1|C1|001700000000000-00000000000000000003",
                Map.of(
                        "id", "c1",
                        "app_id", "A1",
                        "team_id", "T1",
                        "method", "chat.postMessage",
                        "channel", "C1",
                        "params", "{\"text\":\"hi\",\"blocks\":[{\"type\":\"divider\"}],\"unfurl_links\":false}",
                        "enqueued_at", "1700000000000"),
                json);

        assertThat(call.problem()).isEmpty();
        assertThat(call.params())
                .containsEntry("channel", "C1")
                .containsEntry("text", "hi")
                .containsEntry("blocks", "[{\"type\":\"divider\"}]")
                .containsEntry("unfurl_links", "false");
        assertThat(call.enqueuedAt()).isEqualTo(1700000000000L);
        assertThat(call.toString()).doesNotContain("hi");
    }

    @Test
    void malformedEntriesAreMarkedNotThrown() {
        assertThat(CallEntry.parse(
                                "1-0",
                                "T1||1-0",
                                Map.of("app_id", "A1", "team_id", "T1", "method", "m", "params", "{"),
                                json)
                        .problem())
                .isEqualTo("params is not JSON");
        CallEntry noMethod = CallEntry.parse("1-0", "T1||1-0", Map.of("app_id", "A1", "team_id", "T1"), json);
        assertThat(noMethod.problem()).contains("method");
        assertThat(noMethod.id()).as("falls back to the stream id").isEqualTo("1-0");
    }

    @Test
    void methodsThatAreNotSlackMethodNamesAreMalformed() {
        for (String method : List.of("chat.postMessage", "admin.conversations.setTeams", "oauth.v2.access")) {
            assertThat(withMethod(method).problem()).as(method).isEmpty();
        }
        for (String method : List.of(
                "chat.post Message",
                "chat/postMessage",
                "../api/auth.test",
                "chat.postMessage?channel=C2",
                "chat.postMessage#x",
                "chat",
                "chat.",
                ".chat",
                "chat..postMessage",
                "chat.postMessage\n",
                "chat.pöstMessage")) {
            assertThat(withMethod(method).problem())
                    .as(method)
                    .isEqualTo("method is not a Slack method name (such as chat.postMessage)");
        }
    }

    @Test
    void channelIsTheOneOfTheLaneTheScriptNamed() {
        CallEntry fromField = CallEntry.parse(
                "1-0",
                "T1|C1|000000000000001-00000000000000000000",
                Map.of("app_id", "A1", "team_id", "T1", "method", "chat.postMessage", "channel", "C1", "params", "{}"),
                json);
        CallEntry fromParams = CallEntry.parse(
                "2-0",
                "T1|C2|000000000000002-00000000000000000000",
                Map.of("app_id", "A1", "team_id", "T1", "method", "chat.postMessage", "params", "{\"channel\":\"C2\"}"),
                json);
        CallEntry withNone = CallEntry.parse(
                "3-0",
                "T1||000000000000003-00000000000000000000",
                Map.of("app_id", "A1", "team_id", "T1", "method", "chat.postMessage", "params", "{\"channel\":7}"),
                json);

        assertThat(List.of(
                        fromField.channel(),
                        fromField.laneKey(),
                        fromField.params().get("channel")))
                .containsExactly("C1", "T1|C1", "C1");
        assertThat(List.of(
                        fromParams.channel(),
                        fromParams.laneKey(),
                        fromParams.params().get("channel")))
                .containsExactly("C2", "T1|C2", "C2");
        assertThat(List.of(
                        withNone.channel(),
                        withNone.laneKey(),
                        withNone.params().get("channel")))
                .containsExactly("", "T1|", "7");
    }

    private CallEntry withMethod(String method) {
        return CallEntry.parse(
                "1-0",
                "T1|C1|000000000000001-00000000000000000000",
                Map.of("app_id", "A1", "team_id", "T1", "method", method, "channel", "C1", "params", "{}"),
                json);
    }
}
