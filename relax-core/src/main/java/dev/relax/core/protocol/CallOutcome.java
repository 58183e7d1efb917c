/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The result of a Web API call as a broker stores it at {@link CallKeys#result(String)} and publishes it on
 * {@link CallKeys#results()} (docs/protocol.md, "Web API calls"):
 *
 * <pre>{@code
 * {"id":"6f1c2a","ok":true,"method":"chat.postMessage","channel":"C024BE91L","ts":"1700000000.000100",
 *  "error":"","attempts":1,"response":{...Slack's answer...}}
 * }</pre>
 *
 * <p>Every text component is non-null; reading fills a missing field with empty, false or 0.
 *
 * @param id the call's id ({@link CallRequest#id()})
 * @param ok whether Slack answered {@code "ok":true}
 * @param method the Slack method called
 * @param channel the channel Slack answered with, else the one asked for
 * @param ts the message's timestamp Slack answered with; empty when the call failed
 * @param error Slack's error, or Relax's ({@code ratelimited}, {@code network_error}, {@code
 *     installation_not_found}, {@code invalid_call}, {@code outcome_unknown}); empty when ok
 * @param attempts how many times the broker called Slack
 * @param response Slack's whole answer as a JSON object, {@code {}} when there was none
 */
public record CallOutcome(
        String id, boolean ok, String method, String channel, String ts, String error, int attempts, String response) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a {@code response} that is null or not a JSON object as {@code {}}. */
    public CallOutcome {
        response = object(response).toString();
    }

    /** The JSON document, fields in the order above. */
    public String toJson() {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", id);
        out.put("ok", ok);
        out.put("method", method);
        out.put("channel", channel);
        out.put("ts", ts);
        out.put("error", error);
        out.put("attempts", attempts);
        out.set("response", object(response));
        return out.toString();
    }

    /**
     * Reads a result as brokers write it; empty when {@code json} is not one (not a JSON object, or no
     * {@code id}). Missing fields read as empty, false or 0.
     */
    public static Optional<CallOutcome> fromJson(String json) {
        JsonNode r;
        try {
            r = JSON.readTree(json);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
        if (r == null || !r.isObject() || r.path("id").asText("").isEmpty()) {
            return Optional.empty();
        }
        JsonNode response = r.path("response");
        return Optional.of(new CallOutcome(
                r.path("id").asText(),
                r.path("ok").asBoolean(false),
                r.path("method").asText(""),
                r.path("channel").asText(""),
                r.path("ts").asText(""),
                r.path("error").asText(""),
                r.path("attempts").asInt(0),
                response.isObject() ? response.toString() : "{}"));
    }

    @Override
    public String toString() {
        // Slack's answer holds the message text: only its outcome is shown.
        return "CallOutcome[id=" + id + ", ok=" + ok + ", method=" + method + ", channel=" + channel + ", ts=" + ts
                + ", error=" + error + ", attempts=" + attempts + "]";
    }

    private static JsonNode object(String json) {
        if (json != null) {
            try {
                JsonNode node = JSON.readTree(json);
                if (node != null && node.isObject()) {
                    return node;
                }
            } catch (JsonProcessingException e) {
                // not JSON: none
            }
        }
        return JSON.createObjectNode();
    }
}
