/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WebSocketTransport} over the JDK's {@link java.net.http.WebSocket}: every socket shares one
 * {@link HttpClient}, whose selector thread does the I/O of all of them, so a socket costs no thread of
 * its own (nv-websocket-client starts a reading and a writing thread per socket). Listener callbacks run
 * on the selector thread, one at a time per socket and in order, shared by every socket: they must not
 * block. A listener that throws is logged and the socket keeps reading (as with nv-websocket-client).
 *
 * <p>The JDK allows one outstanding send per socket, so sends are chained without a lock: each starts
 * when the one before it completed. A send that fails aborts the socket and reports the close from
 * another thread, never from inside the caller's locks. A peer that stops reading while it keeps the
 * socket open (so that pings go unanswered only in the send queue) is dropped once {@value
 * #MAX_PENDING_SENDS} sends wait. A text message Slack splits over several frames is joined before
 * {@link Listener#onText} sees it.
 */
public final class JdkWebSocketTransport implements WebSocketTransport {
    private static final Logger log = LoggerFactory.getLogger(JdkWebSocketTransport.class);
    /** Sends waiting on one socket before it counts as dead (a ping every 5 s is 14 hours of them). */
    static final int MAX_PENDING_SENDS = 10_000;
    /** How long a close waits for the peer's close frame before the connection is dropped. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final Duration connectTimeout;
    /**
     * Runs the client's tasks (listener callbacks included) on the thread that completes them, mostly the
     * selector thread: a hand-off to another thread per frame cost more CPU than the broker's whole work
     * on the frame (docs/performance.md). Listeners therefore must not block; the broker's do not (they
     * parse, translate and queue).
     */
    private final java.util.concurrent.Executor executor = Runnable::run;

    private final HttpClient client;

    public JdkWebSocketTransport(int connectTimeoutMillis) {
        this.connectTimeout = Duration.ofMillis(connectTimeoutMillis);
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
    }

    /**
     * Buffer sizes for a JVM that holds thousands of idle sockets. The JDK's client keeps three buffers per
     * websocket, 16 KB each by default: socket reads ({@code jdk.httpclient.bufsize}), text decoding
     * ({@code jdk.httpclient.websocket.intermediateBufferSize}) and frame writing ({@code
     * jdk.httpclient.websocket.writeBufferSize}). Measured with 2,000 idle RTM sockets (jcmd
     * GC.class_histogram), byte arrays took 57 KB per socket with the defaults and 16 KB with 8 KB / 2 KB /
     * 2 KB; larger frames simply take several reads, and split text is joined by the adapter.
     *
     * <p>The JDK has these only as JVM-wide system properties (neither {@link HttpClient.Builder} nor
     * {@link WebSocket.Builder} takes a buffer size), and the read size is read once per JVM, for every
     * HttpClient. So the broker never sets them: a library must not change the HTTP clients of the
     * application that embeds it. Only the runnable jar ({@code Main}) applies them to its own JVM, and an
     * embedding application may pass them with {@code -D}.
     */
    public static final Map<String, String> BUFFER_SIZES = Map.of(
            "jdk.httpclient.bufsize", "8192",
            "jdk.httpclient.websocket.intermediateBufferSize", "2048",
            "jdk.httpclient.websocket.writeBufferSize", "2048");

    @Override
    public Connection connect(URI uri, Listener listener) throws IOException {
        Adapter adapter = new Adapter(listener);
        CompletableFuture<WebSocket> opening =
                client.newWebSocketBuilder().connectTimeout(connectTimeout).buildAsync(uri, adapter);
        WebSocket ws;
        try {
            // The timeout bounds the upgrade too: a peer that accepts TCP and never answers must not hold a
            // login slot for ever.
            ws = opening.get(connectTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException(
                    "websocket handshake with " + uri.getHost() + ":" + uri.getPort() + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            abortWhenOpen(opening);
            throw new IOException("websocket handshake with " + uri.getHost() + ":" + uri.getPort() + " timed out");
        } catch (InterruptedException e) {
            abortWhenOpen(opening);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + uri.getHost() + ":" + uri.getPort(), e);
        }
        return new JdkConnection(ws, adapter);
    }

    /** A handshake given up on may still finish: its socket must not stay open with nobody listening. */
    private static void abortWhenOpen(CompletableFuture<WebSocket> opening) {
        opening.whenComplete((ws, e) -> {
            if (ws != null) {
                ws.abort();
            }
        });
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    private static final class JdkConnection implements Connection {
        private final WebSocket ws;
        private final Adapter adapter;
        /** Completes when the last send queued is done; the next one starts then. */
        private final AtomicReference<CompletableFuture<Void>> last =
                new AtomicReference<>(CompletableFuture.completedFuture(null));

        private final AtomicInteger pending = new AtomicInteger();

        JdkConnection(WebSocket ws, Adapter adapter) {
            this.ws = ws;
            this.adapter = adapter;
        }

        @Override
        public boolean sendText(String text) {
            return enqueue(() -> ws.sendText(text, true));
        }

        @Override
        public boolean sendPing() {
            return enqueue(() -> ws.sendPing(ByteBuffer.allocate(0)));
        }

        @Override
        public void close(int code, String reason) {
            if (adapter.closed.get()) {
                return;
            }
            enqueue(() -> ws.sendClose(code, reason));
            // A peer that never answers the close frame (or stops reading): drop the connection after the
            // grace. abort() is idempotent, and the close is reported once whichever comes first.
            CompletableFuture.delayedExecutor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> {
                        if (!adapter.closed.get()) {
                            ws.abort();
                            adapter.closedOnce(1006, "closed without a close frame");
                        }
                    });
        }

        /**
         * Chains {@code send} after the sends before it. Holds no lock: a send that completes at once
         * (the JDK writes on the calling thread when it can) or fails at once runs the next step in the
         * caller, which may hold its own locks, so a failure is reported from another thread.
         */
        private boolean enqueue(Supplier<CompletableFuture<WebSocket>> send) {
            if (ws.isOutputClosed() || adapter.closed.get()) {
                return false;
            }
            if (pending.incrementAndGet() > MAX_PENDING_SENDS) {
                pending.decrementAndGet();
                failLater("peer not reading: " + MAX_PENDING_SENDS + " sends waiting");
                return false;
            }
            CompletableFuture<Void> next = new CompletableFuture<>();
            CompletableFuture<Void> previous = last.getAndSet(next);
            previous.whenComplete((ignored, earlier) -> {
                if (ws.isOutputClosed()) {
                    pending.decrementAndGet();
                    next.complete(null);
                    return;
                }
                CompletableFuture<WebSocket> sending;
                try {
                    sending = send.get();
                } catch (RuntimeException e) {
                    sending = CompletableFuture.failedFuture(e);
                }
                sending.whenComplete((w, error) -> {
                    pending.decrementAndGet();
                    if (error != null) {
                        failLater("send failed: " + error.getClass().getSimpleName());
                    }
                    next.complete(null);
                });
            });
            return true;
        }

        /** The socket is gone: abort it, and report the close from a thread of its own. */
        private void failLater(String why) {
            ws.abort();
            Thread.startVirtualThread(() -> adapter.closedOnce(1006, why));
        }
    }

    /**
     * Adapts the JDK's listener to ours: joins split text messages, keeps reading when a listener throws,
     * reports the close once.
     */
    private static final class Adapter implements WebSocket.Listener {
        private final Listener listener;
        private final AtomicBoolean closed = new AtomicBoolean();
        private StringBuilder partial;

        Adapter(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            try {
                if (!last) {
                    if (partial == null) {
                        partial = new StringBuilder();
                    }
                    partial.append(data);
                } else if (partial != null) {
                    partial.append(data);
                    String text = partial.toString();
                    partial = null;
                    listener.onText(text);
                } else {
                    listener.onText(data.toString());
                }
            } catch (RuntimeException e) {
                log.error(
                        "websocket listener failed on a text frame; the socket keeps reading",
                        dev.relax.core.internal.Redaction.redacted(e));
            } finally {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1); // Slack sends none
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            try {
                listener.onPong();
            } catch (RuntimeException e) {
                log.error("websocket listener failed on a pong", dev.relax.core.internal.Redaction.redacted(e));
            } finally {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1); // the JDK answers with a pong itself
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedOnce(statusCode, reason == null ? "" : reason);
            return null; // the JDK answers the close frame
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedOnce(1006, "closed without a close frame (" + error.getClass().getSimpleName() + ")");
        }

        void closedOnce(int code, String reason) {
            if (closed.compareAndSet(false, true)) {
                try {
                    listener.onClosed(code, reason);
                } catch (RuntimeException e) {
                    log.error("websocket listener failed on close", dev.relax.core.internal.Redaction.redacted(e));
                }
            }
        }
    }
}
