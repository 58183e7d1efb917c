/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The body the relay POSTs to its backend, as docs/relay.md ("The backend contract") defines it.
 *
 * @param eventId the Slack event id ({@code Ev…}), else the Relax event's dedupe id; the same as the
 *     {@code Idempotency-Key}
 * @param appId the Slack app ({@code A…})
 * @param teamId the workspace ({@code T…})
 * @param channel the conversation the question was asked in ({@code C…}, {@code D…}, {@code G…})
 * @param user who asked ({@code U…} or {@code W…})
 * @param threadTs the thread the answer goes in (the question's own ts when it started no thread)
 * @param text the question, with the mention of the bot stripped
 * @param isDm whether the question came in a direct message
 * @param thread earlier messages of the thread, oldest first; empty unless thread context is on
 */
public record Question(
        String eventId,
        String appId,
        String teamId,
        String channel,
        String user,
        String threadTs,
        String text,
        boolean isDm,
        List<ThreadMessage> thread) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern TS = Pattern.compile("\\d+\\.\\d+");

    /** Copies {@code thread}; every other field must be non-null. */
    public Question {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(threadTs, "threadTs");
        Objects.requireNonNull(text, "text");
        thread = List.copyOf(thread);
    }

    /**
     * One earlier message of the thread.
     *
     * @param user who wrote it
     * @param text what it says
     * @param ts its Slack timestamp
     * @param bot whether the bot wrote it (an earlier answer)
     */
    public record ThreadMessage(String user, String text, String ts, boolean bot) {}

    /**
     * Reads a request body.
     *
     * @throws IllegalArgumentException with a message naming the missing or mistyped field
     */
    public static Question parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        // Fields checked in the contract's order, so the first one wrong is the one named.
        String eventId = string(root, "event_id", "the body", true);
        String appId = string(root, "app_id", "the body", true);
        String teamId = string(root, "team_id", "the body", true);
        String channel = string(root, "channel", "the body", true);
        String user = string(root, "user", "the body", true);
        String threadTs = ts(root, "thread_ts", "the body");
        String text = string(root, "text", "the body", false);
        JsonNode isDm = root.get("is_dm");
        if (isDm == null || !isDm.isBoolean()) {
            throw new IllegalArgumentException("field \"is_dm\" must be a boolean");
        }
        return new Question(
                eventId, appId, teamId, channel, user, threadTs, text, isDm.booleanValue(), thread(root.get("thread")));
    }

    private static List<ThreadMessage> thread(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("field \"thread\" must be an array of messages");
        }
        List<ThreadMessage> messages = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode message = node.get(i);
            String where = "thread[" + i + "]";
            if (!message.isObject()) {
                throw new IllegalArgumentException(where + " must be an object");
            }
            JsonNode bot = message.get("bot");
            if (bot != null && !bot.isBoolean()) {
                throw new IllegalArgumentException("field \"bot\" of " + where + " must be a boolean");
            }
            messages.add(new ThreadMessage(
                    string(message, "user", where, true),
                    string(message, "text", where, false),
                    ts(message, "ts", where),
                    bot != null && bot.booleanValue()));
        }
        return messages;
    }

    private static String ts(JsonNode object, String field, String where) {
        String value = string(object, field, where, true);
        if (!TS.matcher(value).matches()) {
            throw new IllegalArgumentException("field \"" + field + "\" of " + where
                    + " must be a Slack timestamp like \"1700000000.000100\", got \"" + value + "\"");
        }
        return value;
    }

    private static String string(JsonNode object, String field, String where, boolean nonEmpty) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("field \"" + field + "\" is missing from " + where);
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("field \"" + field + "\" of " + where + " must be a string");
        }
        if (nonEmpty && node.textValue().isEmpty()) {
            throw new IllegalArgumentException("field \"" + field + "\" of " + where + " is empty");
        }
        return node.textValue();
    }
}
