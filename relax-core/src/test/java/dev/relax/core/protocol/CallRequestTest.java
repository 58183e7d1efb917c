/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallRequestTest {

    @Test
    void writesEveryFieldInTheDocumentedOrder() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("text", "on \"it\"\n");
        params.put("thread_ts", "1700000000.000100");
        CallRequest request = new CallRequest(
                "6f1c2a", "A0123", "T0123", "chat.postMessage", "C1", CallRequest.paramsJson(params), 1700000000000L);

        assertThat(request.toFields())
                .containsExactly(
                        Map.entry("id", "6f1c2a"),
                        Map.entry("app_id", "A0123"),
                        Map.entry("team_id", "T0123"),
                        Map.entry("method", "chat.postMessage"),
                        Map.entry("channel", "C1"),
                        Map.entry("params", "{\"text\":\"on \\\"it\\\"\\n\",\"thread_ts\":\"1700000000.000100\"}"),
                        Map.entry("enqueued_at", "1700000000000"));
    }

    @Test
    void readsBackWhatItWrote() {
        CallRequest request =
                new CallRequest("c1", "A1", "T1", "chat.update", "C1", "{\"ts\":\"1.2\",\"text\":\"x\"}", 42L);

        assertThat(CallRequest.fromFields(request.toFields())).isEqualTo(request);
    }

    @Test
    void readsAnEntryWrittenByHandLeniently() {
        CallRequest request =
                CallRequest.fromFields(Map.of("app_id", "A1", "method", "chat.postMessage", "enqueued_at", "soon"));

        assertThat(request).isEqualTo(new CallRequest("", "A1", "", "chat.postMessage", "", "{}", 0L));
    }

    @Test
    void toStringLeavesTheParamsOut() {
        CallRequest request =
                new CallRequest("c1", "A1", "T1", "chat.postMessage", "C1", "{\"text\":\"secret plan\"}", 1L);

        assertThat(request.toString()).doesNotContain("secret plan").contains("c1", "chat.postMessage", "C1");
    }

    @Test
    void aTraceparentIsWrittenLastAndOnlyWhenThereIsOne() {
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        CallRequest traced = new CallRequest("c1", "A1", "T1", "chat.postMessage", "C1", "{}", 1L, traceparent);

        assertThat(traced.toFields().keySet())
                .containsExactly(
                        "id", "app_id", "team_id", "method", "channel", "params", "enqueued_at", "traceparent");
        assertThat(traced.toFields()).containsEntry("traceparent", traceparent);
        assertThat(CallRequest.fromFields(traced.toFields())).isEqualTo(traced);
        assertThat(new CallRequest("c1", "A1", "T1", "chat.postMessage", "C1", "{}", 1L, null).toFields())
                .doesNotContainKey("traceparent");
    }
}
