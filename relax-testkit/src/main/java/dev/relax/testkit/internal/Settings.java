/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The simulator's timings and limits, validated by {@code SlackSimulator.Builder}.
 *
 * @param ackTimeout how long a Socket Mode envelope waits for its ack before it is sent again
 * @param maxRetries how many times an unacknowledged envelope or a failed Events API request is retried
 * @param eventsTimeout how long an Events API request waits for an answer
 * @param eventsRetryDelays the pause before each Events API retry; the last one repeats
 * @param closeGrace how long the server keeps a socket open after {@code goodbye} or {@code refresh_requested}
 * @param socketUrlTtl how long a websocket URL from rtm.connect or apps.connections.open stays valid
 * @param maxSocketModeConnections how many Socket Mode connections one app may hold open
 * @param recordFrames whether every frame is recorded (turn off for load tests)
 * @param messageRatePerChannel the least time between two chat.postMessage calls to one channel; zero for
 *     no limit
 */
public record Settings(
        Clock clock,
        Duration ackTimeout,
        int maxRetries,
        Duration eventsTimeout,
        List<Duration> eventsRetryDelays,
        Duration closeGrace,
        Duration socketUrlTtl,
        int maxSocketModeConnections,
        boolean recordFrames,
        Duration messageRatePerChannel) {

    public Settings {
        eventsRetryDelays = List.copyOf(eventsRetryDelays);
    }

    /** The pause before retry number {@code retry} (1-based). */
    public Duration retryDelay(int retry) {
        if (eventsRetryDelays.isEmpty()) {
            return Duration.ZERO;
        }
        return eventsRetryDelays.get(Math.min(retry, eventsRetryDelays.size()) - 1);
    }
}
