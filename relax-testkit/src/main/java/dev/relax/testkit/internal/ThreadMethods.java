/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ThreadStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Web API methods about threads: assistant.threads.setStatus and conversations.replies. */
final class ThreadMethods {
    /** https://api.slack.com/methods/assistant.threads.setStatus: "Maximum of 10 messages." */
    private static final int MAX_LOADING_MESSAGES = 10;

    /**
     * https://api.slack.com/methods/conversations.replies: {@code limit} defaults to 1000, the most. (Since
     * 2025 Slack lowers both to 15 for apps distributed outside the Marketplace; not simulated.)
     */
    private static final int MAX_LIMIT = 1000;

    /** Slack's cursors are base64 of {@code next_ts:<ts>}; callers must treat them as opaque. */
    private static final String CURSOR_PREFIX = "next_ts:";

    private final SimulatorCore core;

    ThreadMethods(SimulatorCore core) {
        this.core = core;
    }

    /**
     * https://api.slack.com/methods/assistant.threads.setStatus: {@code channel_id}, {@code thread_ts} and
     * {@code status} are required, an empty status clears it, {@code loading_messages} holds at most 10
     * strings. An unknown {@code channel_id} answers {@code channel_not_found}, a {@code thread_ts} that is
     * no message of the channel {@code invalid_thread_ts}, as the method's error table names them.
     */
    ObjectNode setStatus(ApiRequest request, WebApi.Caller caller) throws ApiError {
        TeamState team = caller.team();
        ChannelInfo channel = visibleChannel(request.arg("channel_id"), caller);
        if (!request.args().containsKey("status") || request.arg("thread_ts").isEmpty()) {
            throw new ApiError("invalid_arguments");
        }
        MessageInfo message = team.message(channel.id(), request.arg("thread_ts"));
        if (message == null) {
            throw new ApiError("invalid_thread_ts");
        }
        team.threadStatuses()
                .set(new ThreadStatus(
                        team.id(),
                        channel.id(),
                        threadOf(message),
                        caller.bot().id(),
                        request.arg("status"),
                        loadingMessages(request.arg("loading_messages")),
                        core.ids().now()));
        return Json.object();
    }

    /**
     * https://api.slack.com/methods/conversations.replies: the parent message and its replies, oldest
     * first, in pages of {@code limit} with {@code has_more} and {@code response_metadata.next_cursor}
     * (https://api.slack.com/apis/pagination). {@code ts} may be the parent or any reply ("Unique identifier
     * of either a thread's parent message or a message in the thread"); a message without replies comes
     * back alone. {@code oldest}, {@code latest} and {@code inclusive} narrow the range as documented.
     */
    ObjectNode replies(ApiRequest request, WebApi.Caller caller) throws ApiError {
        TeamState team = caller.team();
        ChannelInfo channel = visibleChannel(request.arg("channel"), caller);
        if (channel.type() == Channel.Type.CHANNEL
                && !channel.members().contains(caller.bot().id())) {
            // The method's own error table names only channel_not_found and thread_not_found; a bot outside a
            // public channel gets not_in_channel, the error conversations.history documents for that case.
            // (The page also says bot tokens "lack sufficient permissions" on channels, yet lists the bot
            // scopes channels:history and groups:history; the simulator follows the scopes, as bots do.)
            throw new ApiError("not_in_channel");
        }
        MessageInfo anchor = team.message(channel.id(), request.arg("ts"));
        if (anchor == null) {
            throw new ApiError("thread_not_found");
        }
        String threadTs = threadOf(anchor);
        MessageInfo parent = team.message(channel.id(), threadTs);
        if (parent == null) {
            throw new ApiError("thread_not_found");
        }
        List<MessageInfo> thread = team.messages(channel.id()).stream()
                .filter(m -> m.ts().equals(threadTs) || m.threadTs().equals(threadTs))
                .toList();
        Range range = Range.of(request);
        String from = decodeCursor(request.arg("cursor"));
        List<MessageInfo> matching = thread.stream()
                .filter(m -> range.contains(m.ts()))
                .filter(m -> from.isEmpty() || ts(m.ts()).compareTo(ts(from)) >= 0)
                .toList();
        int limit = limit(request.arg("limit"));
        List<MessageInfo> page = matching.subList(0, Math.min(limit, matching.size()));
        boolean hasMore = matching.size() > limit;
        ArrayNode messages = Json.array();
        for (MessageInfo message : page) {
            messages.add(payload(team, message, parent, thread));
        }
        ObjectNode result = Json.object();
        result.set("messages", messages);
        result.put("has_more", hasMore);
        result.putObject("response_metadata")
                .put("next_cursor", hasMore ? encodeCursor(matching.get(limit).ts()) : "");
        return result;
    }

    /** A message as conversations.replies lists it: the parent with its reply counts, a reply with its parent's author. */
    private static ObjectNode payload(
            TeamState team, MessageInfo message, MessageInfo parent, List<MessageInfo> thread) {
        ObjectNode json = Payloads.nestedMessage(team, message);
        if (!message.ts().equals(parent.ts())) {
            json.put("parent_user_id", parent.user());
            return json;
        }
        List<MessageInfo> replies =
                thread.stream().filter(m -> !m.ts().equals(parent.ts())).toList();
        if (replies.isEmpty()) {
            return json;
        }
        Set<String> users = new LinkedHashSet<>();
        replies.forEach(reply -> users.add(reply.user()));
        json.put("thread_ts", parent.ts());
        json.put("reply_count", replies.size());
        json.put("reply_users_count", users.size());
        json.put("latest_reply", replies.getLast().ts());
        ArrayNode replyUsers = json.putArray("reply_users");
        users.forEach(replyUsers::add);
        return json;
    }

    /**
     * The conversation by id. A private channel or direct message the bot is not in answers {@code
     * channel_not_found}, as Slack hides them (and as conversations.info does here).
     */
    private static ChannelInfo visibleChannel(String id, WebApi.Caller caller) throws ApiError {
        ChannelInfo channel = caller.team().channel(id);
        if (channel == null
                || !channel.id().equals(id)
                || channel.type() != Channel.Type.CHANNEL
                        && !channel.members().contains(caller.bot().id())) {
            throw new ApiError("channel_not_found");
        }
        return channel;
    }

    /** The ts of the thread a message belongs to: its parent's, or its own when it is a parent. */
    private static String threadOf(MessageInfo message) {
        return message.threadTs().isEmpty() ? message.ts() : message.threadTs();
    }

    /** A JSON array of strings, or (as a form argument may carry an array) a comma-separated list. */
    private static List<String> loadingMessages(String value) throws ApiError {
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        if (value.trim().startsWith("[")) {
            JsonNode parsed = Json.parse(value);
            if (parsed == null || !parsed.isArray()) {
                throw new ApiError("invalid_arguments");
            }
            for (JsonNode item : parsed) {
                if (!item.isTextual()) {
                    throw new ApiError("invalid_arguments");
                }
                messages.add(item.asText());
            }
        } else {
            messages.addAll(List.of(value.split(",")));
        }
        if (messages.size() > MAX_LOADING_MESSAGES) {
            throw new ApiError("invalid_arguments");
        }
        return messages;
    }

    private static int limit(String value) {
        if (value.isEmpty()) {
            return MAX_LIMIT;
        }
        try {
            return Math.clamp(Integer.parseInt(value.trim()), 1, MAX_LIMIT);
        } catch (NumberFormatException e) {
            return MAX_LIMIT;
        }
    }

    private static String encodeCursor(String ts) {
        return Base64.getEncoder().encodeToString((CURSOR_PREFIX + ts).getBytes(StandardCharsets.UTF_8));
    }

    /** The ts a cursor starts at, empty for none; {@code invalid_cursor} for anything this simulator did not issue. */
    private static String decodeCursor(String cursor) throws ApiError {
        if (cursor.isEmpty()) {
            return "";
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(CURSOR_PREFIX)) {
                String ts = decoded.substring(CURSOR_PREFIX.length());
                ts(ts);
                return ts;
            }
        } catch (IllegalArgumentException e) {
            // not base64, or not a ts: the same answer as any other cursor Slack did not issue
        }
        throw new ApiError("invalid_cursor");
    }

    /** A ts as a number, for comparisons; throws NumberFormatException (an IllegalArgumentException) if it is none. */
    private static BigDecimal ts(String ts) {
        return new BigDecimal(ts);
    }

    /**
     * {@code oldest} (default 0) and {@code latest} (default now) bound the messages; {@code inclusive}
     * keeps the bounds themselves, and is ignored unless either is given. Not numbers: {@code
     * invalid_ts_oldest} / {@code invalid_ts_latest}.
     */
    private record Range(BigDecimal oldest, BigDecimal latest, boolean inclusive) {
        static Range of(ApiRequest request) throws ApiError {
            BigDecimal oldest = bound(request.arg("oldest"), "invalid_ts_oldest");
            BigDecimal latest = bound(request.arg("latest"), "invalid_ts_latest");
            String inclusive = request.arg("inclusive");
            return new Range(oldest, latest, inclusive.equals("true") || inclusive.equals("1"));
        }

        private static BigDecimal bound(String value, String error) throws ApiError {
            if (value.isEmpty()) {
                return null;
            }
            try {
                return new BigDecimal(value.trim());
            } catch (NumberFormatException e) {
                throw new ApiError(error);
            }
        }

        boolean contains(String ts) {
            BigDecimal value = ts(ts);
            if (oldest != null) {
                int c = value.compareTo(oldest);
                if (c < 0 || c == 0 && !inclusive) {
                    return false;
                }
            }
            if (latest != null) {
                int c = value.compareTo(latest);
                return c < 0 || c == 0 && inclusive;
            }
            return true;
        }
    }
}
