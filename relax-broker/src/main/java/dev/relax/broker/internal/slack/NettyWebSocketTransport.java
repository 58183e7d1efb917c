/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * {@link WebSocketTransport} over Netty (the Netty that Lettuce already puts on the classpath): every socket
 * shares one small group of event-loop threads ({@link #threads()}) and Netty's pooled buffers, so an idle
 * socket holds no thread and no read or write buffer of its own, only its channel and pipeline. Listener
 * callbacks run on the socket's event-loop thread, one at a time per socket and in order, shared with other
 * sockets: they must not block (as with {@link JdkWebSocketTransport}).
 *
 * <p>{@link #connect} blocks for the TCP connection (bounded by the connect timeout) and the upgrade
 * (bounded by twice that, as on the JDK transport). {@code wss://} goes through an {@link SslHandler} on the
 * JDK's TLS provider, with the host name checked against the certificate. Split text messages are joined
 * up to {@value #MAX_MESSAGE_BYTES} bytes; a longer one drops the socket. What each socket does once open
 * is {@link NettyWebSocketConnection}'s.
 *
 * <p>The event loops are NIO: Lettuce declares Netty's native epoll transport optional, so it is not on the
 * broker's classpath, and one selector thread per core serves thousands of sockets well enough.
 */
public final class NettyWebSocketTransport implements WebSocketTransport {
    /** The largest text message (joined from its frames) a socket accepts: Slack's own are far smaller. */
    static final int MAX_MESSAGE_BYTES = 16 << 20;
    /** Bytes waiting to be written to one socket before it counts as dead (the channel's high water mark). */
    static final int MAX_PENDING_BYTES = 16 << 20;
    /** Event-loop threads at most, whatever the machine: a broker's sockets are idle most of the time. */
    static final int MAX_THREADS = 4;
    /** The handshake's answer (status line and headers) is read whole; Slack's is under 1 KB. */
    private static final int MAX_HANDSHAKE_RESPONSE = 16 << 10;

    private final int connectTimeoutMillis;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final SslContext tls;

    public NettyWebSocketTransport(int connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
        // Daemon threads, like the JDK client's selector: a broker that is not closed must not keep its JVM.
        this.group = new NioEventLoopGroup(threads(), new DefaultThreadFactory("relax-ws", true));
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(MAX_PENDING_BYTES / 2, MAX_PENDING_BYTES))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
        try {
            this.tls =
                    SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build();
        } catch (SSLException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("the JDK's TLS provider is unavailable", e);
        }
    }

    /** The event-loop threads every socket shares: one per core, at most {@value #MAX_THREADS}. */
    static int threads() {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS));
    }

    @Override
    public Connection connect(URI uri, Listener listener) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean secure = scheme.equals("wss");
        if (!secure && !scheme.equals("ws")) {
            throw new IllegalArgumentException("not a websocket URL (ws:// or wss://): " + uri.getScheme());
        }
        String host = uri.getHost();
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        String where = host + ":" + port;
        // Resolved here, on the caller's (blocking) thread: the event loops must never wait on DNS.
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException("websocket handshake with " + where + " failed: unknown host");
        }
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), MAX_MESSAGE_BYTES);
        NettyWebSocketConnection connection = new NettyWebSocketConnection(handshaker, listener);
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline p = ch.pipeline();
                if (secure) {
                    p.addLast("tls", tlsHandler(ch, host, port));
                }
                p.addLast("http", new HttpClientCodec());
                p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE));
                p.addLast("ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
                p.addLast("relax", connection);
            }
        });
        ChannelFuture connecting = b.connect(address);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                connection.connectFailed(f.cause());
            }
        });
        Future<Void> handshake = connection.handshakeFuture();
        try {
            // The timeout bounds the upgrade too: a peer that accepts TCP and never answers must not hold a
            // login slot for ever.
            handshake.get(connectTimeoutMillis * 2L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            connection.abandon(connecting.channel());
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("websocket handshake with " + where + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            connection.abandon(connecting.channel());
            throw new IOException("websocket handshake with " + where + " timed out");
        } catch (InterruptedException e) {
            connection.abandon(connecting.channel());
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + where, e);
        }
        return connection;
    }

    private SslHandler tlsHandler(SocketChannel ch, String host, int port) {
        SslHandler handler = tls.newHandler(ch.alloc(), host, port);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
        engine.setSSLParameters(parameters);
        handler.setHandshakeTimeoutMillis(connectTimeoutMillis);
        return handler;
    }

    /** Closes every socket still open (each reports 1006) and stops the event loops. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
