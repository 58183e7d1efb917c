/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of the Web API calls stream ({@link CallKeys#stream()}), as an app writes it and a broker reads
 * it (docs/protocol.md, "Web API calls"):
 *
 * <pre>{@code
 * XADD <calls> * id 6f1c2a app_id A0123 team_id T0123 method chat.postMessage channel C024BE91L
 *     params {"channel":"C024BE91L","text":"on it"} enqueued_at 1700000000000
 * }</pre>
 *
 * <p>Every component is non-null. Reading is lenient, as an entry written by hand may lack fields: a
 * missing field reads as empty,
 * {@code params} as {@code {}}, an {@code enqueued_at} that is not a number as 0. Whether the entry can be
 * called is the broker's to judge. {@link #toString()} leaves {@code params} out: it holds the message text.
 *
 * @param id the caller's id of the call (a UUID), under which its result is stored; empty: the stream id
 * @param appId the app whose installation makes the call
 * @param teamId the workspace of that installation
 * @param method the Slack method, e.g. {@code chat.postMessage}
 * @param channel the channel, whose calls are made one at a time in stream order; empty: {@code
 *     params.channel}
 * @param params Slack's arguments as a JSON object, e.g. {@code {"text":"hi","thread_ts":"..."}}
 * @param enqueuedAt epoch milliseconds when the app queued the call (the broker measures the queue wait from it)
 * @param traceparent the W3C {@code traceparent} of the span that queued the call (a handler's), so that the
 *     broker's span of the call joins its trace; empty when tracing is off, and then not written
 */
public record CallRequest(
        String id,
        String appId,
        String teamId,
        String method,
        String channel,
        String params,
        long enqueuedAt,
        String traceparent) {
    // The entry's field names, as docs/protocol.md lists them.
    public static final String FIELD_ID = Protocol.FIELD_ID;
    public static final String FIELD_APP_ID = Protocol.FIELD_APP_ID;
    public static final String FIELD_TEAM_ID = Protocol.FIELD_TEAM_ID;
    public static final String FIELD_METHOD = "method";
    public static final String FIELD_CHANNEL = "channel";
    public static final String FIELD_PARAMS = "params";
    public static final String FIELD_ENQUEUED_AT = "enqueued_at";
    /** Optional, last: written only when the call was queued inside a traced span. */
    public static final String FIELD_TRACEPARENT = Protocol.FIELD_TRACEPARENT;

    public CallRequest {
        traceparent = traceparent == null ? "" : traceparent;
    }

    /** A call queued outside any trace. */
    public CallRequest(
            String id, String appId, String teamId, String method, String channel, String params, long enqueuedAt) {
        this(id, appId, teamId, method, channel, params, enqueuedAt, "");
    }

    /** Every field of an entry that is always written, in the order docs/protocol.md lists them. */
    public static final List<String> FIELDS = List.of(
            FIELD_ID, FIELD_APP_ID, FIELD_TEAM_ID, FIELD_METHOD, FIELD_CHANNEL, FIELD_PARAMS, FIELD_ENQUEUED_AT);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code params} written as the JSON object of string arguments that {@link #params()} holds, in order. */
    public static String paramsJson(Map<String, String> params) {
        try {
            return JSON.writeValueAsString(new LinkedHashMap<>(params));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The stream entry's fields, in the order of {@link #FIELDS}, every one written; then {@code traceparent}
     * when there is one.
     */
    public Map<String, String> toFields() {
        List<String> values = List.of(id, appId, teamId, method, channel, params, Long.toString(enqueuedAt));
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < FIELDS.size(); i++) {
            fields.put(FIELDS.get(i), values.get(i));
        }
        if (!traceparent.isEmpty()) {
            fields.put(FIELD_TRACEPARENT, traceparent);
        }
        return fields;
    }

    /** Reads a stream entry's fields; never throws (see the class comment for what a missing field reads as). */
    public static CallRequest fromFields(Map<String, String> fields) {
        long enqueuedAt;
        try {
            enqueuedAt = Long.parseLong(fields.getOrDefault(FIELD_ENQUEUED_AT, "0"));
        } catch (NumberFormatException e) {
            enqueuedAt = 0;
        }
        return new CallRequest(
                fields.getOrDefault(FIELD_ID, ""),
                fields.getOrDefault(FIELD_APP_ID, ""),
                fields.getOrDefault(FIELD_TEAM_ID, ""),
                fields.getOrDefault(FIELD_METHOD, ""),
                fields.getOrDefault(FIELD_CHANNEL, ""),
                fields.getOrDefault(FIELD_PARAMS, "{}"),
                enqueuedAt,
                fields.getOrDefault(FIELD_TRACEPARENT, ""));
    }

    @Override
    public String toString() {
        return "CallRequest[id=" + id + ", appId=" + appId + ", teamId=" + teamId + ", method=" + method + ", channel="
                + channel + ", enqueuedAt=" + enqueuedAt + "]";
    }
}
