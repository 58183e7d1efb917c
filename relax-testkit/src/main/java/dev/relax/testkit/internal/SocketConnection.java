/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.core.Secret;
import dev.relax.testkit.ConnectionKind;
import dev.relax.testkit.RecordedConnection;
import dev.relax.testkit.RecordedFrame;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open websocket and its recording. {@link #send} is asynchronous (Jetty queues the frame), so a
 * publisher can fan an event out to thousands of sockets without blocking on any of them.
 */
public final class SocketConnection {
    private static final Logger LOG = LoggerFactory.getLogger(SocketConnection.class);

    private final String id;
    private final ConnectionKind kind;
    private final String teamId;
    private final String appId;
    private final String userId;
    private final Secret token;
    private final Session session;
    private final Clock clock;
    private final boolean recordFrames;
    /** True while the team is silent: frames to the client are dropped, frames from it are ignored. */
    private final BooleanSupplier silent;
    /** True once this one socket went quiet (a broken path to one connection), for good. */
    private volatile boolean silenced;

    private final Instant openedAt;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Instant closedAt;
    private volatile int closeCode;

    /** Guarded by {@code this}. */
    private final List<RecordedFrame> sent = new ArrayList<>();
    /** Guarded by {@code this}. */
    private final List<RecordedFrame> received = new ArrayList<>();

    public SocketConnection(
            String id,
            ConnectionKind kind,
            String teamId,
            String appId,
            String userId,
            Secret token,
            Session session,
            Clock clock,
            boolean recordFrames,
            BooleanSupplier silent) {
        this.id = id;
        this.kind = kind;
        this.teamId = teamId;
        this.appId = appId;
        this.userId = userId;
        this.token = token;
        this.session = session;
        this.clock = clock;
        this.recordFrames = recordFrames;
        this.silent = silent;
        this.openedAt = clock.instant();
    }

    public String id() {
        return id;
    }

    public String teamId() {
        return teamId;
    }

    public String appId() {
        return appId;
    }

    public String userId() {
        return userId;
    }

    public Secret token() {
        return token;
    }

    /** Team id for RTM, app id for Socket Mode: whose connection count this socket adds to. */
    public String owner() {
        return kind == ConnectionKind.RTM ? teamId : appId;
    }

    public boolean silent() {
        return silenced || silent.getAsBoolean();
    }

    /** Makes this socket quiet for good: nothing more is written to it, no ping is answered. */
    public void silence() {
        silenced = true;
    }

    /**
     * Answers a websocket ping, unless the socket is quiet (RFC 6455 section 5.5.2 asks for a pong "as
     * soon as is practical"; a broken network path answers nothing).
     */
    public void pong(java.nio.ByteBuffer payload) {
        if (!silent() && !closed.get()) {
            session.sendPong(payload, Callback.NOOP);
        }
    }

    public boolean isOpen() {
        return !closed.get() && session.isOpen();
    }

    /** Writes {@code text} unless the team is silent; never blocks. */
    public void send(String text) {
        send(text, null);
    }

    /** As {@link #send(String)}, recording the frame at {@code at} (one clock read shared by a fan-out). */
    public void send(String text, Instant at) {
        if (silent() || closed.get()) {
            return;
        }
        if (recordFrames) {
            RecordedFrame frame = new RecordedFrame(at == null ? clock.instant() : at, text);
            synchronized (this) {
                received.add(frame);
            }
        }
        session.sendText(text, Callback.from(() -> {}, failure -> LOG.debug("connection={} send failed", id, failure)));
    }

    /** Records a frame the client sent. */
    public void recordSent(String text) {
        if (recordFrames) {
            RecordedFrame frame = new RecordedFrame(clock.instant(), text);
            synchronized (this) {
                sent.add(frame);
            }
        }
    }

    /** Closes with a close frame. */
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }

    /** Drops the TCP connection without a close frame, as a network failure would. */
    public void abort() {
        session.disconnect();
    }

    /** Marks the connection closed; true only for the first call, so that counts drop exactly once. */
    public boolean markClosed(int code) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        closeCode = code;
        closedAt = clock.instant();
        return true;
    }

    public synchronized RecordedConnection snapshot() {
        return new RecordedConnection(
                id,
                kind,
                teamId,
                appId,
                userId,
                token,
                openedAt,
                closedAt,
                closeCode,
                List.copyOf(sent),
                List.copyOf(received));
    }
}
