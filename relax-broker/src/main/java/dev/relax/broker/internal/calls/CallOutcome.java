package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The result of a call as stored at {@code <calls>:result:<id>} and published on {@code <calls>:results}:
 * {@code {"id":"...","ok":true,"method":"chat.postMessage","channel":"C1","ts":"1700000000.000100",
 * "error":"","attempts":1,"response":{...}}}.
 *
 * @param response Slack's answer, an empty object when there was none (unknown installation, network)
 */
record CallOutcome(
        String id,
        boolean ok,
        String method,
        String channel,
        String ts,
        String error,
        int attempts,
        JsonNode response) {

    static CallOutcome failed(CallEntry call, String error, int attempts, JsonNode response) {
        return new CallOutcome(call.id(), false, call.method(), call.channel(), "", error, attempts, response);
    }

    String toJson(ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        out.put("id", id);
        out.put("ok", ok);
        out.put("method", method);
        out.put("channel", channel);
        out.put("ts", ts);
        out.put("error", error);
        out.put("attempts", attempts);
        out.set("response", response == null ? json.createObjectNode() : response);
        return out.toString();
    }
}
