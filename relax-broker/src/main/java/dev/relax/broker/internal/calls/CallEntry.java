/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.protocol.CallRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the calls stream as a broker read it: the app's {@link CallRequest}, with Slack's arguments
 * as form values and what keeps it in order.
 *
 * @param streamId the entry's stream id, e.g. {@code 1700000000000-0}
 * @param laneMember the entry's member of the lanes sorted set, {@code <team>|<channel>|<padded stream id>},
 *     as the script that read it named it ({@link CallScripts}): the lane rule exists in Lua only, and
 *     {@link #channel()} is the channel of that member
 * @param id the caller's id of the call; the stream id when the entry has none
 * @param params Slack's arguments as form values: strings as they are, other JSON values (such as {@code
 *     blocks}) as JSON text; {@code channel} is added from the lane's when the object lacks it
 * @param problem why the entry cannot be called (params not JSON, no method, a method that is not a Slack
 *     method name), or empty
 */
record CallEntry(
        String streamId,
        String laneMember,
        String id,
        String appId,
        String teamId,
        String method,
        String channel,
        Map<String, String> params,
        long enqueuedAt,
        String traceparent,
        String problem) {

    /** Reads an entry's fields; never throws: a malformed entry gets a {@link #problem()}. */
    static CallEntry parse(String streamId, String laneMember, Map<String, String> fields, ObjectMapper json) {
        CallRequest request = CallRequest.fromFields(fields);
        String channel = channelOf(laneMember, request.teamId());
        Map<String, String> params = new LinkedHashMap<>();
        String problem = "";
        try {
            JsonNode tree = json.readTree(request.params());
            if (tree == null || !tree.isObject()) {
                problem = "params is not a JSON object";
            } else {
                tree.properties()
                        .forEach(e -> params.put(
                                e.getKey(),
                                e.getValue().isTextual()
                                        ? e.getValue().asText()
                                        : e.getValue().toString()));
            }
        } catch (IOException e) {
            problem = "params is not JSON";
        }
        if (!channel.isEmpty()) {
            params.putIfAbsent("channel", channel);
        }
        if (problem.isEmpty()
                && (request.method().isBlank()
                        || request.appId().isBlank()
                        || request.teamId().isBlank())) {
            problem = "method, app_id and team_id are required";
        } else if (problem.isEmpty() && !SlackMethods.isName(request.method())) {
            problem = "method is not a Slack method name (such as chat.postMessage)";
        }
        return new CallEntry(
                streamId,
                laneMember,
                request.id().isBlank() ? streamId : request.id(),
                request.appId(),
                request.teamId(),
                request.method(),
                channel,
                Map.copyOf(params),
                request.enqueuedAt(),
                request.traceparent(),
                problem);
    }

    /** The channel of a lanes member {@code <team>|<channel>|<padded stream id>} of team {@code teamId}. */
    private static String channelOf(String laneMember, String teamId) {
        String lane = laneOf(laneMember);
        return lane.startsWith(teamId + "|") ? lane.substring(teamId.length() + 1) : "";
    }

    private static String laneOf(String laneMember) {
        int last = laneMember.lastIndexOf('|');
        return last < 0 ? laneMember : laneMember.substring(0, last);
    }

    /** The calls that must run one at a time, in stream order: those of one channel of one workspace. */
    String laneKey() {
        return laneOf(laneMember);
    }

    @Override
    public String toString() {
        // Params hold the message text, which is the app's business: only the shape is logged.
        // The fields are the app's text: no line break of theirs reaches the log.
        return ("call " + id + " (" + method + " app=" + appId + " team=" + teamId + " channel=" + channel + ")")
                .replaceAll("\\p{Cntrl}", "?");
    }
}
