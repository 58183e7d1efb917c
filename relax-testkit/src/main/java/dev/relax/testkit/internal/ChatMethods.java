/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.testkit.Channel;
import java.time.Duration;

/**
 * Web API methods that write messages: chat.postMessage, chat.update and the streaming trio
 * chat.startStream / chat.appendStream / chat.stopStream. Each also produces the message events that
 * the workspace's other connections and apps receive.
 */
final class ChatMethods {
    /** Slack ends a stream about five minutes after it started; later calls fail. */
    static final Duration STREAM_LIFETIME = Duration.ofMinutes(5);

    /** https://api.slack.com/methods/chat.postMessage: {@code msg_too_long} above 40,000 characters. */
    private static final int MAX_TEXT = 40_000;

    private final SimulatorCore core;
    /** When each channel ("team/channel") last accepted a chat.postMessage; for the per-channel limit. */
    private final java.util.Map<String, java.time.Instant> lastPost = new java.util.concurrent.ConcurrentHashMap<>();

    ChatMethods(SimulatorCore core) {
        this.core = core;
    }

    /**
     * https://api.slack.com/methods/chat.postMessage. {@code channel} may be an id, a name, or a user id
     * (which posts in the bot's direct message with that person, opening it if needed).
     */
    ObjectNode postMessage(ApiRequest request, WebApi.Caller caller) throws ApiError {
        TeamState team = caller.team();
        ChannelInfo channel = channelOrDirectMessage(request.arg("channel"), caller);
        String text = request.arg("text");
        JsonNode blocks = jsonArray(request, "blocks", "invalid_blocks");
        JsonNode attachments = jsonArray(request, "attachments", "invalid_attachments");
        if (text.isEmpty() && blocks == null && attachments == null) {
            throw new ApiError("no_text");
        }
        if (text.length() > MAX_TEXT) {
            throw new ApiError("msg_too_long");
        }
        paceChannel(team, channel);
        MessageInfo message = core.conversations()
                .post(team, caller.bot(), channel, text, request.arg("thread_ts"), blocks, attachments, null);
        ObjectNode result = Json.object();
        result.put("channel", channel.id());
        result.put("ts", message.ts());
        result.set("message", Payloads.nestedMessage(team, message));
        return result;
    }

    /**
     * Slack allows about one message per second per channel, with short bursts
     * (https://api.slack.com/methods/chat.postMessage#rate_limiting, https://api.slack.com/apis/rate-limits):
     * when {@code messageRatePerChannel} is set, a post sooner than that after the channel's last accepted
     * post answers HTTP 429 {@code ratelimited} with {@code Retry-After} in whole seconds, at least 1.
     */
    private void paceChannel(TeamState team, ChannelInfo channel) throws ApiError {
        java.time.Duration min = core.settings().messageRatePerChannel();
        if (min.isZero()) {
            return;
        }
        java.time.Instant now = core.ids().now();
        java.time.Instant[] refusedUntil = {null};
        lastPost.compute(team.id() + "/" + channel.id(), (key, last) -> {
            if (last != null && now.isBefore(last.plus(min))) {
                refusedUntil[0] = last.plus(min);
                return last;
            }
            return now;
        });
        if (refusedUntil[0] != null) {
            long millis = java.time.Duration.between(now, refusedUntil[0]).toMillis();
            throw new ApiError("ratelimited", 429, Math.max(1, (millis + 999) / 1000));
        }
    }

    /** https://api.slack.com/methods/chat.update: only the bot's own messages. */
    ObjectNode update(ApiRequest request, WebApi.Caller caller) throws ApiError {
        TeamState team = caller.team();
        ChannelInfo channel = channel(request.arg("channel"), team);
        MessageInfo old = team.message(channel.id(), request.arg("ts"));
        if (old == null) {
            throw new ApiError("message_not_found");
        }
        if (!old.user().equals(caller.bot().id())) {
            throw new ApiError("cant_update_message");
        }
        JsonNode blocks = jsonArray(request, "blocks", "invalid_blocks");
        String text = request.arg("text");
        if (text.isEmpty() && blocks == null) {
            throw new ApiError("no_text");
        }
        MessageInfo updated = core.conversations().edit(team, old, text, blocks);
        ObjectNode result = Json.object();
        result.put("channel", channel.id());
        result.put("ts", updated.ts());
        result.put("text", updated.text());
        result.set("message", Payloads.nestedMessage(team, updated));
        return result;
    }

    /**
     * https://api.slack.com/methods/chat.startStream: starts a bot message (normally a thread reply) that
     * later calls extend. Outside direct messages Slack requires {@code recipient_user_id} and {@code
     * recipient_team_id}.
     */
    ObjectNode startStream(ApiRequest request, WebApi.Caller caller) throws ApiError {
        TeamState team = caller.team();
        ChannelInfo channel = channel(request.arg("channel"), team);
        if (channel.type() != Channel.Type.IM) {
            if (request.arg("recipient_user_id").isEmpty()) {
                throw new ApiError("missing_recipient_user_id");
            }
            if (request.arg("recipient_team_id").isEmpty()) {
                throw new ApiError("missing_recipient_team_id");
            }
        }
        String text = markdown(request);
        MessageInfo message = core.conversations()
                .post(team, caller.bot(), channel, text, request.arg("thread_ts"), null, null, null);
        StreamState stream = new StreamState(
                team.id(),
                channel.id(),
                message.ts(),
                message.threadTs(),
                caller.bot().id(),
                core.ids().now());
        stream.append(text);
        team.putStream(channel.id(), message.ts(), stream);
        ObjectNode result = Json.object();
        result.put("channel", channel.id());
        result.put("ts", message.ts());
        return result;
    }

    /** https://api.slack.com/methods/chat.appendStream */
    ObjectNode appendStream(ApiRequest request, WebApi.Caller caller) throws ApiError {
        ChannelInfo channel = channel(request.arg("channel"), caller.team());
        StreamState stream = openStream(channel, request.arg("ts"), caller);
        String text = markdown(request);
        if (text.isEmpty()) {
            throw new ApiError("no_text");
        }
        stream.append(text);
        ObjectNode result = Json.object();
        result.put("channel", channel.id());
        result.put("ts", request.arg("ts"));
        return result;
    }

    /** https://api.slack.com/methods/chat.stopStream: appends the last text and finalises the message. */
    ObjectNode stopStream(ApiRequest request, WebApi.Caller caller) throws ApiError {
        TeamState team = caller.team();
        ChannelInfo channel = channel(request.arg("channel"), team);
        StreamState stream = openStream(channel, request.arg("ts"), caller);
        String text = markdown(request);
        JsonNode blocks = jsonArray(request, "blocks", "invalid_blocks");
        stream.append(text);
        stream.stop();
        MessageInfo message = team.message(channel.id(), request.arg("ts"));
        MessageInfo finished = message == null ? null : core.conversations().edit(team, message, stream.text(), blocks);
        ObjectNode result = Json.object();
        result.put("channel", channel.id());
        result.put("ts", request.arg("ts"));
        if (finished != null) {
            result.set("message", Payloads.nestedMessage(team, finished));
        }
        return result;
    }

    private StreamState openStream(ChannelInfo channel, String ts, WebApi.Caller caller) throws ApiError {
        StreamState stream = caller.team().stream(channel.id(), ts);
        if (stream == null) {
            throw new ApiError("message_not_found");
        }
        if (!stream.userId().equals(caller.bot().id())) {
            throw new ApiError("cant_update_message");
        }
        if (stream.stopped() || core.ids().now().isAfter(stream.started().plus(STREAM_LIFETIME))) {
            throw new ApiError("message_not_in_streaming_state");
        }
        return stream;
    }

    private ChannelInfo channelOrDirectMessage(String name, WebApi.Caller caller) throws ApiError {
        TeamState team = caller.team();
        ChannelInfo channel = team.channel(name);
        if (channel != null) {
            return channel;
        }
        Member person = team.member(name);
        if (person != null && !person.isBot()) {
            return core.conversations().openIm(team, person, caller.bot());
        }
        throw new ApiError("channel_not_found");
    }

    private static ChannelInfo channel(String name, TeamState team) throws ApiError {
        ChannelInfo channel = team.channel(name);
        if (channel == null) {
            throw new ApiError("channel_not_found");
        }
        return channel;
    }

    /** {@code markdown_text}, or the text of every {@code markdown_text} chunk in {@code chunks}. */
    private static String markdown(ApiRequest request) throws ApiError {
        String text = request.arg("markdown_text");
        JsonNode chunks = jsonArray(request, "chunks", "invalid_chunks");
        if (chunks == null) {
            return text;
        }
        StringBuilder joined = new StringBuilder(text);
        for (JsonNode chunk : chunks) {
            if (chunk.path("type").asText().equals("markdown_text")) {
                joined.append(chunk.path("text").asText());
            }
        }
        return joined.toString();
    }

    /** The argument parsed as a JSON array, {@code null} when absent, {@code error} when not an array. */
    private static JsonNode jsonArray(ApiRequest request, String name, String error) throws ApiError {
        String value = request.arg(name);
        if (value.isEmpty()) {
            return null;
        }
        JsonNode parsed = Json.parse(value);
        if (parsed == null || !parsed.isArray()) {
            throw new ApiError(error);
        }
        return parsed;
    }
}
