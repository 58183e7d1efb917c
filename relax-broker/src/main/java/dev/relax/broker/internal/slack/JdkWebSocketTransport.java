package dev.relax.broker.internal.slack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link WebSocketTransport} over the JDK's {@link java.net.http.WebSocket}: every socket shares one
 * {@link HttpClient}, whose selector thread does the I/O of all of them, so a socket costs no thread of
 * its own (nv-websocket-client starts a reading and a writing thread per socket). Listener callbacks run
 * on a virtual thread per socket message (the client's executor); the JDK calls them one at a time per
 * socket, in order.
 *
 * <p>The JDK allows one outstanding send per socket, so sends are chained: each starts when the one
 * before it completed. A text message Slack splits over several frames is joined before {@link
 * Listener#onText} sees it.
 */
public final class JdkWebSocketTransport implements WebSocketTransport {
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
     * The JDK's client keeps three buffers per websocket, 16 KB each by default: socket reads ({@code
     * jdk.httpclient.bufsize}), text decoding ({@code jdk.httpclient.websocket.intermediateBufferSize}) and
     * frame writing ({@code jdk.httpclient.websocket.writeBufferSize}). Measured with 2,000 idle RTM
     * sockets (jcmd GC.class_histogram), byte arrays took 57 KB per socket with the defaults and 16 KB
     * with 8 KB / 2 KB / 2 KB; larger frames simply take several reads, and split text is joined by the
     * adapter. Sets those sizes unless the JVM was started with its own ({@code -D...}). Must run before
     * the JVM's first HttpClient is built: the read buffer size is read once.
     */
    public static void tuneBuffers() {
        setIfAbsent("jdk.httpclient.bufsize", "8192");
        setIfAbsent("jdk.httpclient.websocket.intermediateBufferSize", "2048");
        setIfAbsent("jdk.httpclient.websocket.writeBufferSize", "2048");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    @Override
    public Connection connect(URI uri, Listener listener) throws IOException {
        Adapter adapter = new Adapter(listener);
        WebSocket ws;
        try {
            // The timeout bounds the upgrade too: a peer that accepts TCP and never answers must not hold a
            // login slot for ever.
            ws = client.newWebSocketBuilder()
                    .connectTimeout(connectTimeout)
                    .buildAsync(uri, adapter)
                    .get(connectTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException(
                    "websocket handshake with " + uri.getHost() + ":" + uri.getPort() + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new IOException("websocket handshake with " + uri.getHost() + ":" + uri.getPort() + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + uri.getHost() + ":" + uri.getPort(), e);
        }
        return new JdkConnection(ws, adapter);
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    private static final class JdkConnection implements Connection {
        private final WebSocket ws;
        private final Adapter adapter;
        /** The last send queued; the next one starts when it completed. Guarded by this. */
        private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

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
            // A peer that never answers the close frame: drop the connection after a second.
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> {
                if (!ws.isInputClosed()) {
                    ws.abort();
                    adapter.closedOnce(1006, "closed without a close frame");
                }
            });
        }

        private synchronized boolean enqueue(java.util.function.Supplier<CompletableFuture<WebSocket>> send) {
            if (ws.isOutputClosed() || adapter.closed.get()) {
                return false;
            }
            lastSend = lastSend.handle((r, e) -> null).thenCompose(x -> {
                if (ws.isOutputClosed()) {
                    return CompletableFuture.completedFuture(null);
                }
                return send.get().exceptionally(e -> {
                    // A send that failed means the socket is gone; the close callback reports it.
                    ws.abort();
                    adapter.closedOnce(1006, "send failed: " + e.getClass().getSimpleName());
                    return null;
                });
            });
            return true;
        }
    }

    /** Adapts the JDK's listener to ours: joins split text messages, reports the close once. */
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
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1); // Slack sends none
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            listener.onPong();
            webSocket.request(1);
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
                listener.onClosed(code, reason);
            }
        }
    }
}
