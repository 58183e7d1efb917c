/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Slack Web API call for a broker to make with an app's bot token in one workspace: the installation
 * {@code <appId>:<teamId>} of the installations hash. Brokers pace calls per workspace, method and channel
 * across the fleet, retry rate limits and Slack outages, and make the calls of one channel in order.
 *
 * <pre>{@code
 * WebApiCall reply = WebApiCall.postMessage("A1", "T1", "C1").text("on it").threadTs(parentTs).build();
 * WebApiCall fix = WebApiCall.update("A1", "T1", "C1", ts).text("done").build();
 * }</pre>
 *
 * @param params Slack's arguments as strings (JSON ones such as {@code blocks} as JSON text); includes
 *     {@code channel}
 */
public record WebApiCall(String appId, String teamId, String method, String channel, Map<String, String> params) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public WebApiCall {
        requireText(appId, "appId");
        requireText(teamId, "teamId");
        requireText(method, "method");
        requireText(channel, "channel");
        Map<String, String> copy = new LinkedHashMap<>();
        copy.put("channel", channel);
        Objects.requireNonNull(params, "params")
                .forEach((k, v) -> copy.put(
                        Objects.requireNonNull(k, "params key"), Objects.requireNonNull(v, "params value of " + k)));
        params = Collections.unmodifiableMap(copy);
    }

    /** A chat.postMessage (https://api.slack.com/methods/chat.postMessage); give it text or blocks. */
    public static Builder postMessage(String appId, String teamId, String channel) {
        return new Builder(appId, teamId, "chat.postMessage", channel);
    }

    /** A chat.update of the message {@code ts} (https://api.slack.com/methods/chat.update). */
    public static Builder update(String appId, String teamId, String channel, String ts) {
        requireText(ts, "ts");
        return new Builder(appId, teamId, "chat.update", channel).arg("ts", ts);
    }

    /** Builds a {@link WebApiCall}; {@link #build()} checks that a message has text or blocks. */
    public static final class Builder {
        private final String appId;
        private final String teamId;
        private final String method;
        private final String channel;
        private final Map<String, String> params = new LinkedHashMap<>();

        private Builder(String appId, String teamId, String method, String channel) {
            this.appId = appId;
            this.teamId = teamId;
            this.method = method;
            this.channel = channel;
        }

        /** The message text (mrkdwn); with blocks, the notification fallback. */
        public Builder text(String text) {
            return arg("text", Objects.requireNonNull(text, "text"));
        }

        /** Posts as a reply in the thread of the message with this ts. */
        public Builder threadTs(String threadTs) {
            requireText(threadTs, "threadTs");
            return arg("thread_ts", threadTs);
        }

        /** Block Kit blocks as a JSON array, e.g. {@code [{"type":"section","text":{...}}]}. */
        public Builder blocks(String blocksJson) {
            try {
                JsonNode parsed = JSON.readTree(Objects.requireNonNull(blocksJson, "blocksJson"));
                if (parsed == null || !parsed.isArray()) {
                    throw new IllegalArgumentException("blocks must be a JSON array");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("blocks must be a JSON array, and is not JSON");
            }
            return arg("blocks", blocksJson);
        }

        /** Any other argument of the method, e.g. {@code unfurl_links} = {@code false}. */
        public Builder arg(String name, String value) {
            requireText(name, "name");
            params.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        public WebApiCall build() {
            if (params.getOrDefault("text", "").isEmpty() && !params.containsKey("blocks")) {
                throw new IllegalArgumentException(method + " needs text or blocks");
            }
            return new WebApiCall(appId, teamId, method, channel, params);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
