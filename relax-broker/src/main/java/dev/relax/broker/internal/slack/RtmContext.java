/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.redis.SendClaims;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.CallOutcome;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What every RTM bot of a broker shares. The broker creates and closes each of these; bots only use them.
 *
 * @param loginPermits bounds how many bots log in at once, so that thousands do not stampede Slack
 * @param timers pings and retry delays; never blocks
 * @param workers logins and other blocking work (virtual threads)
 * @param registrations reads the bots hash, so a refused bot can tell a rotated token from a revoked one
 * @param ticker {@link System#nanoTime()} in production: measures how long a socket was silent
 * @param replyResults publishes RTM's answer to a message whose command asked for its result (blocking)
 */
public record RtmContext(
        RtmSettings settings,
        SlackWebApi api,
        WebSocketTransport transport,
        RtmTranslator translator,
        EventWriter events,
        SendClaims claims,
        ScheduledExecutorService timers,
        ExecutorService workers,
        Semaphore loginPermits,
        BrokerMetrics metrics,
        ObjectMapper json,
        Clock clock,
        RegistrationLookup registrations,
        LongSupplier ticker,
        Consumer<CallOutcome> replyResults) {

    /** What the bots' sockets share. */
    SocketResources sockets() {
        return new SocketResources(transport, timers, workers, json, metrics, ticker);
    }

    /**
     * Reads a bot's current registration from the bots hash (blocking), its token opened; null when there
     * is none.
     */
    @FunctionalInterface
    public interface RegistrationLookup {
        BotRegistration registration(String hashField);
    }
}
