/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * What every {@link ReconnectingSocket} of a broker shares. The broker creates and closes each of these.
 *
 * @param timers retry delays and pings; never blocks
 * @param workers attempts, which block on Slack and on the handshake (virtual threads)
 * @param ticker {@link System#nanoTime()} in production; tests step it to make a socket silent
 */
public record SocketResources(
        WebSocketTransport transport,
        ScheduledExecutorService timers,
        Executor workers,
        ObjectMapper json,
        BrokerMetrics metrics,
        LongSupplier ticker) {}
