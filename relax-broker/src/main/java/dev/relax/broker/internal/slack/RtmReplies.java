/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.protocol.CallOutcome;
import dev.relax.core.protocol.Command;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * RTM's answers to the {@code message} frames one bot sent for commands that want a result
 * ({@link Command.SendMessage#wantsResult()}): Slack answers each frame on its socket with {@code
 * {"ok":true,"reply_to":<frame id>,"ts":…}} or {@code {"ok":false,"reply_to":…,"error":{"code":…,"msg":…}}}
 * (https://api.slack.com/rtm#sending_messages), and that answer is published as the result of call {@code
 * <command id>}, as a Web API call's is. A frame unanswered for {@link #PATIENCE} (its socket died) ends as {@code
 * no_reply}. Thread-safe; {@code results} may block, so callers run it off the socket's reading thread.
 */
final class RtmReplies {
    /** How long Slack may take to answer a frame before its result says it never did. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Pending(String commandId, String channel, long sentNanos) {}

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Consumer<CallOutcome> results;
    private final LongSupplier ticker;

    RtmReplies(Consumer<CallOutcome> results, LongSupplier ticker) {
        this.results = results;
        this.ticker = ticker;
    }

    /** Notes that {@code message} was written; gives up on frames that waited too long. */
    void sent(Command.SendMessage message) {
        if (!message.wantsResult()) {
            return;
        }
        JsonNode frame;
        try {
            frame = JSON.readTree(message.payload());
        } catch (IOException e) {
            return; // not JSON: Slack cannot answer it either
        }
        if (frame != null && frame.path("id").canConvertToLong()) {
            pending.put(
                    frame.path("id").asLong(),
                    new Pending(message.id(), frame.path("channel").asText(""), ticker.getAsLong()));
        }
        expire();
    }

    /** Takes RTM's answer to a frame; false when {@code frame} is none of ours (an event, say). */
    boolean answered(JsonNode frame) {
        if (!frame.has("reply_to") || frame.has("type")) {
            return false;
        }
        Pending p = pending.remove(frame.path("reply_to").asLong());
        if (p == null) {
            return true; // a frame no result was asked for
        }
        boolean ok = frame.path("ok").asBoolean(false);
        String error = ok ? "" : frame.path("error").path("msg").asText("error");
        results.accept(new CallOutcome(
                p.commandId(), ok, "message", p.channel(), frame.path("ts").asText(""), error, 1, frame.toString()));
        return true;
    }

    private void expire() {
        long now = ticker.getAsLong();
        for (Iterator<Map.Entry<Long, Pending>> i = pending.entrySet().iterator(); i.hasNext(); ) {
            Pending p = i.next().getValue();
            if (now - p.sentNanos() > PATIENCE.toNanos()) {
                i.remove();
                results.accept(new CallOutcome(p.commandId(), false, "message", p.channel(), "", "no_reply", 1, "{}"));
            }
        }
    }
}
