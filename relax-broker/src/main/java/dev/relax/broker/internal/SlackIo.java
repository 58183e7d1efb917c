/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.BrokerOptions.WebSocketLibrary;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.JdkWebSocketTransport;
import dev.relax.broker.internal.slack.NettyWebSocketTransport;
import dev.relax.broker.internal.slack.NvWebSocketTransport;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.broker.internal.slack.WebSocketTransport;
import dev.relax.broker.internal.trace.BrokerTracing;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The threads and clients a broker talks to Slack with, made by {@link #create} and closed together by
 * {@link #close()}.
 *
 * @param api the Web API, over {@code http}
 * @param rtmTransport the websockets of RTM bots
 * @param appTransport the websockets of Socket Mode apps: {@code rtmTransport} itself unless the library
 *     is {@link WebSocketLibrary#AUTO}
 * @param timers pings, retry delays and request deadlines; never blocks
 * @param workers logins, lease ticks and other blocking work (virtual threads)
 * @param tracing the broker's spans
 */
public record SlackIo(
        HttpClient http,
        SlackWebApi api,
        WebSocketTransport rtmTransport,
        WebSocketTransport appTransport,
        ScheduledExecutorService timers,
        ExecutorService workers,
        BrokerTracing tracing)
        implements AutoCloseable {

    /** Connection attempts of websockets give up after this long. */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    public static SlackIo create(
            WebSocketLibrary library, URI slackHost, ObjectMapper json, BrokerTracing tracing, BrokerMetrics metrics) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        var timers = new ScheduledThreadPoolExecutor(
                2, Thread.ofPlatform().name("relax-timer-", 0).daemon().factory());
        // Every Slack request schedules its body deadline and cancels it when the body is in: cancelled
        // tasks leave the queue at once instead of piling up until their time comes.
        timers.setRemoveOnCancelPolicy(true);
        // RTM fleets on Netty, Socket Mode's few sockets on nv-websocket-client, unless told otherwise:
        // docs/performance.md has the measurements behind this default.
        WebSocketTransport rtm =
                switch (library) {
                    case NV -> new NvWebSocketTransport(CONNECT_TIMEOUT_MILLIS);
                    case JDK -> new JdkWebSocketTransport(CONNECT_TIMEOUT_MILLIS);
                    case AUTO, NETTY -> new NettyWebSocketTransport(CONNECT_TIMEOUT_MILLIS);
                };
        WebSocketTransport app =
                library == WebSocketLibrary.AUTO ? new NvWebSocketTransport(CONNECT_TIMEOUT_MILLIS) : rtm;
        return new SlackIo(
                http,
                new SlackWebApi(http, slackHost, Duration.ofSeconds(30), json, tracing, metrics),
                rtm,
                app,
                timers,
                Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("relax-worker-", 0).factory()),
                tracing);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        workers.shutdownNow();
        http.close();
        rtmTransport.close();
        if (appTransport != rtmTransport) {
            appTransport.close();
        }
    }
}
