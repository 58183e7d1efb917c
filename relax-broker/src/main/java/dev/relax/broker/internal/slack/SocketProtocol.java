/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * What one protocol (RTM, Socket Mode) adds to a {@link ReconnectingSocket}: the call that asks Slack for
 * a websocket URL and what to do with event frames. Connection-control frames never reach it.
 */
public interface SocketProtocol {

    /** Which column of {@link SlackConnectErrors} applies. */
    SlackConnectErrors.Side side();

    /** The Web API method {@link #requestUrl} calls, for logs. */
    String method();

    /** Asks Slack for a websocket URL ({@code rtm.connect}, {@code apps.connections.open}); on a worker. */
    SlackWebApi.Response requestUrl() throws IOException, InterruptedException;

    /** An event frame (a JSON object) of {@code socket}, on its reading thread: must not block. */
    void onEvent(SocketHandle socket, JsonNode frame);

    /**
     * {@code socket} is now the current one. {@code replaced} is the socket it replaces (a refresh), still
     * open: the protocol closes it when it sees fit. Null when there was none.
     */
    void connected(SocketHandle socket, SocketHandle replaced);

    /** Slack refused the token ({@link SlackConnectErrors.Meaning#DISABLE}); every socket is closed already. */
    void refused(String error);

    /** Pings the current socket (a ping frame, or RTM's {@code ping} message). */
    void ping(SocketHandle socket);

    /** Counts a reconnect by cause ({@code goodbye}, {@code closed}, {@code missed_pongs}, a Slack error). */
    void reconnecting(String cause);

    /** Before each attempt, which may wait here for a login permit. */
    default void attemptStarting() throws InterruptedException {}

    /** After each attempt, whatever came of it. */
    default void attemptEnded() {}

    /** Before the attempt that refreshes {@code old} asks Slack for a URL (blocking, on a worker). */
    default void beforeRefresh(SocketHandle old) throws InterruptedException {}
}
