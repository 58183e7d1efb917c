/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import dev.relax.core.internal.Redaction;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket of {@link NettyWebSocketTransport}: the last handler of its pipeline (it finishes the upgrade,
 * then turns frames into {@link WebSocketTransport.Listener} calls) and the {@link Connection} the broker
 * sends through. The rules are {@link JdkWebSocketTransport}'s: a listener that throws is logged and the
 * socket keeps reading; pings are answered; the close is reported once, with the peer's code, 1006 when
 * there was no close frame; a close of ours waits {@link #CLOSE_GRACE} for the peer's answer; a peer that
 * stops reading is dropped once {@value JdkWebSocketTransport#MAX_PENDING_SENDS} sends wait, or, since one
 * send may be large, once {@value NettyWebSocketTransport#MAX_PENDING_BYTES} bytes do.
 *
 * <p>Threads: the pipeline callbacks run on the channel's event loop, which owns {@link #handshaker}; the
 * send methods are called from any thread and touch only the atomics, the volatile fields and the channel
 * (Netty queues a write from another thread to the event loop, in order).
 */
final class NettyWebSocketConnection extends ChannelInboundHandlerAdapter implements WebSocketTransport.Connection {
    private static final Logger log = LoggerFactory.getLogger(NettyWebSocketConnection.class);
    /** How long a close waits for the peer's close frame before the connection is dropped. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final WebSocketTransport.Listener listener;
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    /** Event loop only; dropped once the upgrade is done (an idle socket keeps nothing it no longer needs). */
    private WebSocketClientHandshaker handshaker;
    /** Set when the pipeline is built, before any other thread sees this connection. */
    private volatile Channel channel;
    /** Why the connection went down without a close frame, when we know better than "closed". */
    private volatile String failure;

    NettyWebSocketConnection(WebSocketClientHandshaker handshaker, WebSocketTransport.Listener listener) {
        this.handshaker = handshaker;
        this.listener = listener;
    }

    /** Completes when the upgrade is done; fails with why it could not be. */
    Future<Void> handshakeFuture() {
        return handshake;
    }

    /**
     * {@code connect()} gave up on this socket (timed out, interrupted): it closes without a report, as a
     * socket whose connect threw was never the caller's.
     */
    void abandon(Channel ch) {
        closed.set(true);
        ch.close();
    }

    /** The TCP connection could not be made: the handshake fails with its cause. */
    void connectFailed(Throwable cause) {
        handshake.completeExceptionally(cause);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshaker.handshake(ctx.channel()).addListener(f -> {
            if (!f.isSuccess()) {
                handshake.completeExceptionally(f.cause());
                ctx.close();
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof FullHttpResponse response) {
                finishHandshake(ctx, response);
            } else if (msg instanceof TextWebSocketFrame text) {
                deliver(text.text());
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof PongWebSocketFrame) {
                onPong();
            } else if (msg instanceof CloseWebSocketFrame close) {
                peerClosed(ctx, close);
            } // binary frames: Slack sends none
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void finishHandshake(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (handshaker == null || handshaker.isHandshakeComplete()) {
            return;
        }
        try {
            handshaker.finishHandshake(ctx.channel(), response);
        } catch (RuntimeException e) { // WebSocketHandshakeException: not a 101, or a wrong accept key
            handshake.completeExceptionally(e);
            ctx.close();
            return;
        }
        handshaker = null;
        handshake.complete(null);
    }

    private void deliver(String text) {
        try {
            listener.onText(text);
        } catch (RuntimeException e) {
            log.error("websocket listener failed on a text frame; the socket keeps reading", Redaction.redacted(e));
        }
    }

    private void onPong() {
        try {
            listener.onPong();
        } catch (RuntimeException e) {
            log.error("websocket listener failed on a pong", Redaction.redacted(e));
        }
    }

    /** The peer's close frame: reported with its code, answered (unless ours went first), then closed. */
    private void peerClosed(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        int code = close.statusCode() == -1 ? 1005 : close.statusCode();
        String reason = close.statusCode() == -1 ? "" : close.reasonText();
        closedOnce(code, reason);
        if (closeSent.compareAndSet(false, true)) {
            CloseWebSocketFrame answer = close.statusCode() == -1
                    ? new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER)
                    : new CloseWebSocketFrame(true, 0, close.content().retainedDuplicate());
            ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String why = failure;
        if (!handshake.isDone()) {
            handshake.completeExceptionally(
                    new java.io.IOException(why != null ? why : "connection closed during the handshake"));
        } else if (!handshake.isCompletedExceptionally()) { // connect() threw for a failed one: no close
            closedOnce(1006, why != null ? why : "closed without a close frame");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Once, here: an I/O error, a frame over the size limit, a TLS failure. The close reports it.
        if (!handshake.isDone()) {
            handshake.completeExceptionally(cause);
        } else {
            log.debug("websocket failed: {}", cause.toString());
            failure = "closed without a close frame (" + cause.getClass().getSimpleName() + ")";
        }
        ctx.close();
    }

    @Override
    public boolean sendText(String text) {
        return send(() -> new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)));
    }

    @Override
    public boolean sendPing() {
        return send(() -> new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
    }

    @Override
    public void close(int code, String reason) {
        Channel ch = channel;
        if (closed.get() || !closeSent.compareAndSet(false, true)) {
            return;
        }
        try {
            ch.writeAndFlush(new CloseWebSocketFrame(code, reason));
        } catch (IllegalArgumentException e) { // a code that may not go on the wire: just close
            ch.close();
        }
        // A peer that never answers the close frame (or stops reading): drop the connection after the grace.
        // The close is reported once, whichever comes first.
        ch.eventLoop()
                .schedule(
                        () -> {
                            if (!closed.get()) {
                                ch.close();
                                closedOnce(1006, "closed without a close frame");
                            }
                        },
                        CLOSE_GRACE.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    /**
     * Writes a frame unless the socket is closing. No lock: Netty queues a write from another thread to the
     * event loop, and a failure closes the channel, whose close is reported later on the event loop, never
     * from inside the caller's locks.
     */
    private boolean send(Supplier<WebSocketFrame> frame) {
        Channel ch = channel;
        if (closed.get() || closeSent.get() || !ch.isActive()) {
            return false;
        }
        if (!ch.isWritable()) { // over the high water mark: NettyWebSocketTransport.MAX_PENDING_BYTES
            fail(ch, "peer not reading: " + NettyWebSocketTransport.MAX_PENDING_BYTES + " bytes waiting");
            return false;
        }
        if (pending.incrementAndGet() > JdkWebSocketTransport.MAX_PENDING_SENDS) {
            pending.decrementAndGet();
            fail(ch, "peer not reading: " + JdkWebSocketTransport.MAX_PENDING_SENDS + " sends waiting");
            return false;
        }
        ch.writeAndFlush(frame.get()).addListener(f -> {
            pending.decrementAndGet();
            if (!f.isSuccess()) {
                fail(ch, "send failed: " + f.cause().getClass().getSimpleName());
            }
        });
        return true;
    }

    private void fail(Channel ch, String why) {
        if (failure == null) {
            failure = why;
        }
        ch.close();
    }

    private void closedOnce(int code, String reason) {
        if (closed.compareAndSet(false, true)) {
            try {
                listener.onClosed(code, reason);
            } catch (RuntimeException e) {
                log.error("websocket listener failed on close", Redaction.redacted(e));
            }
        }
    }
}
