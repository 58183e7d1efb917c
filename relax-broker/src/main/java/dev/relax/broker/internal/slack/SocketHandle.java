/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One websocket of a {@link ReconnectingSocket}, as its protocol sees it: send on it, close it on
 * purpose, learn when it closed. It keeps the session of the attempt that opened it, the guard against
 * its stale callbacks.
 */
public final class SocketHandle implements WebSocketTransport.Listener {
    private final ReconnectingSocket owner;
    final int session;
    private final JsonNode opening;
    private final CompletableFuture<WebSocketTransport.Connection> connection = new CompletableFuture<>();
    final CountDownLatch hello = new CountDownLatch(1);
    final CountDownLatch closedLatch = new CountDownLatch(1);
    /** Closed on purpose: its close reconnects nothing. */
    final AtomicBoolean retired = new AtomicBoolean();

    private final AtomicBoolean closeSent = new AtomicBoolean();
    // Guarded by this.
    private final List<Runnable> closeHooks = new ArrayList<>();

    volatile boolean helloSeen;
    volatile boolean closed;
    /** The ticker's time when anything (a frame, a pong) was last heard; written by the reading thread. */
    volatile long lastHeard;

    SocketHandle(ReconnectingSocket owner, int session, JsonNode opening) {
        this.owner = owner;
        this.session = session;
        this.opening = opening;
        this.lastHeard = owner.res.ticker().getAsLong();
    }

    @Override
    public void onText(String text) {
        SocketFrames.read(owner, this, text);
    }

    @Override
    public void onPong() {
        lastHeard = owner.res.ticker().getAsLong();
    }

    @Override
    public void onClosed(int code, String reason) {
        owner.onClosed(this, code, reason);
    }

    /** Slack's answer that gave this socket its URL (RTM's names the bot user). */
    public JsonNode opening() {
        return opening;
    }

    /** Queues a text frame; false when the socket is not open, or was closed on purpose. */
    public boolean send(String text) {
        WebSocketTransport.Connection c = connection.getNow(null);
        return c != null && !retired.get() && c.sendText(text);
    }

    /** Sends a websocket ping frame, when the socket is open. */
    public void sendPing() {
        WebSocketTransport.Connection c = connection.getNow(null);
        if (c != null) {
            c.sendPing();
        }
    }

    /** Closes the socket on purpose (once it is open, if it is still opening): no reconnect follows. */
    public void retire(int code, String reason) {
        if (retired.compareAndSet(false, true)) {
            WebSocketTransport.Connection c = connection.getNow(null);
            if (c != null) {
                closeOnce(c, code, reason);
            }
        }
    }

    /** Runs {@code hook} once the socket closed (at once when it is closed already), on the closing thread. */
    public void whenClosed(Runnable hook) {
        synchronized (this) {
            if (!closed) {
                closeHooks.add(hook);
                return;
            }
        }
        hook.run();
    }

    /** Waits until the socket closed; false on timeout. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The handshake is done: the socket is open, or closed at once if it was retired meanwhile. */
    void attach(WebSocketTransport.Connection c) {
        connection.complete(c);
        if (retired.get()) {
            closeOnce(c, 1000, "link stopped");
        }
    }

    /** True once {@code hello} arrived within {@code timeout} and the socket is still open. */
    boolean awaitHello(Duration timeout) throws InterruptedException {
        return hello.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && helloSeen && !closed;
    }

    void runCloseHooks() {
        List<Runnable> hooks;
        synchronized (this) {
            closed = true;
            hooks = List.copyOf(closeHooks);
            closeHooks.clear();
        }
        hooks.forEach(Runnable::run);
    }

    private void closeOnce(WebSocketTransport.Connection c, int code, String reason) {
        if (closeSent.compareAndSet(false, true)) {
            try {
                c.close(code, reason);
            } catch (RuntimeException e) {
                // Closing a socket that failed meanwhile: it is gone either way.
            }
        }
    }
}
