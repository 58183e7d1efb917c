/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.core.json.RelaxJson;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The RTM frames that {@code message} commands carry as their payload
 * (https://api.slack.com/rtm#sending_messages): each with an integer {@code id}, unique per connection.
 */
public final class RtmFrames {
    private RtmFrames() {}

    /** {@code {"id":n,"type":"message","channel":...,"text":...}}. */
    public static String message(String channel, String text) {
        return "{\"id\":" + frameId() + ",\"type\":\"message\",\"channel\":" + RelaxJson.quote(channel) + ",\"text\":"
                + RelaxJson.quote(text) + "}";
    }

    /** {@code {"id":n,"type":"typing","channel":...}}: shows "typing…" in the channel. */
    public static String typing(String channel) {
        return "{\"id\":" + frameId() + ",\"type\":\"typing\",\"channel\":" + RelaxJson.quote(channel) + "}";
    }

    private static int frameId() {
        return ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
    }
}
