package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the calls stream, as an app wrote it with {@code XADD <calls> * id <uuid> app_id A1 team_id
 * T1 method chat.postMessage channel C1 params {"channel":"C1","text":"hi"} enqueued_at <ms>}.
 *
 * @param streamId the entry's stream id, e.g. {@code 1700000000000-0}
 * @param id the caller's id of the call; the stream id when the entry has none
 * @param params Slack's arguments as form values: strings as they are, other JSON values (such as {@code
 *     blocks}) as JSON text; {@code channel} is added from the entry's field when the object lacks it
 * @param problem why the entry cannot be called (params not JSON, no method, a method that is not a Slack
 *     method name), or empty
 */
record CallEntry(
        String streamId,
        String id,
        String appId,
        String teamId,
        String method,
        String channel,
        Map<String, String> params,
        long enqueuedAt,
        String problem) {

    /** Reads an entry's fields; never throws: a malformed entry gets a {@link #problem()}. */
    static CallEntry parse(String streamId, Map<String, String> fields, ObjectMapper json) {
        String id = fields.getOrDefault("id", "");
        String appId = fields.getOrDefault("app_id", "");
        String teamId = fields.getOrDefault("team_id", "");
        String method = fields.getOrDefault("method", "");
        String channel = fields.getOrDefault("channel", "");
        Map<String, String> params = new LinkedHashMap<>();
        String paramsChannel = "";
        String problem = "";
        try {
            JsonNode tree = json.readTree(fields.getOrDefault("params", "{}"));
            if (tree == null || !tree.isObject()) {
                problem = "params is not a JSON object";
            } else {
                tree.properties()
                        .forEach(e -> params.put(
                                e.getKey(),
                                e.getValue().isTextual()
                                        ? e.getValue().asText()
                                        : e.getValue().toString()));
                if (tree.path("channel").isTextual()) {
                    paramsChannel = tree.path("channel").asText();
                }
            }
        } catch (IOException e) {
            problem = "params is not JSON";
        }
        if (channel.isEmpty()) {
            channel = paramsChannel; // the rule CallScripts' lane member follows too
        } else {
            params.putIfAbsent("channel", channel);
        }
        if (problem.isEmpty() && (method.isBlank() || appId.isBlank() || teamId.isBlank())) {
            problem = "method, app_id and team_id are required";
        } else if (problem.isEmpty() && !SlackMethods.isName(method)) {
            problem = "method is not a Slack method name (such as chat.postMessage)";
        }
        long enqueuedAt;
        try {
            enqueuedAt = Long.parseLong(fields.getOrDefault("enqueued_at", "0"));
        } catch (NumberFormatException e) {
            enqueuedAt = 0;
        }
        return new CallEntry(
                streamId,
                id.isBlank() ? streamId : id,
                appId,
                teamId,
                method,
                channel,
                Map.copyOf(params),
                enqueuedAt,
                problem);
    }

    /** The calls that must run one at a time, in stream order: those of one channel of one workspace. */
    String laneKey() {
        return teamId + "|" + channel;
    }

    /**
     * The member of the lanes sorted set for this entry: {@code <team>|<channel>|<ms>-<seq>} with both
     * numbers zero-padded, so that lexical order is stream order. {@link CallScripts} builds the same in Lua.
     */
    String laneMember() {
        return laneKey() + "|" + paddedId(streamId);
    }

    static String paddedId(String streamId) {
        int dash = streamId.indexOf('-');
        String ms = dash < 0 ? streamId : streamId.substring(0, dash);
        String seq = dash < 0 ? "0" : streamId.substring(dash + 1);
        return "0".repeat(Math.max(0, 15 - ms.length())) + ms + "-" + "0".repeat(Math.max(0, 20 - seq.length())) + seq;
    }

    @Override
    public String toString() {
        // Params hold the message text, which is the app's business: only the shape is logged.
        // The fields are the app's text: no line break of theirs reaches the log.
        return ("call " + id + " (" + method + " app=" + appId + " team=" + teamId + " channel=" + channel + ")")
                .replaceAll("\\p{Cntrl}", "?");
    }
}
