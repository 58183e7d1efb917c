/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on 127.0.0.1 and a free port in front of a server (Redis, say), for network faults that a
 * server restart cannot make: the server keeps its data while its clients lose it.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(redis.host(), redis.port())) {
 *     startBroker("REDIS_URL", "redis://127.0.0.1:" + proxy.port());
 *     proxy.blackhole();        // connections stay open, nothing gets through: commands time out
 *     proxy.resume();           // bytes flow again, the held ones first
 *     proxy.dropConnections();  // every connection reset; clients reconnect through the proxy
 * }
 * }</pre>
 *
 * Thread-safe. Each connection uses two virtual threads, one per direction.
 */
public final class TcpProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flowing = lock.newCondition();

    /** Guarded by lock. */
    private boolean blackholed;

    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target, ServerSocket server) {
        this.target = target;
        this.server = server;
    }

    /** A proxy to {@code host:port}, forwarding from now on. */
    public static TcpProxy start(String host, int port) {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TcpProxy proxy = new TcpProxy(new InetSocketAddress(host, port), server);
            Thread.ofVirtual().name("tcp-proxy-accept-" + server.getLocalPort()).start(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a TCP proxy to " + host + ":" + port, e);
        }
    }

    /** The proxy's port on 127.0.0.1. */
    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far, including those already closed. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /**
     * From now on nothing passes in either direction, on open connections or new ones, and nothing is
     * closed: to the clients the server has gone silent (a black-holed network), so their commands time
     * out instead of failing fast. Bytes sent meanwhile are held and delivered after {@link #resume()}.
     */
    public void blackhole() {
        lock.lock();
        try {
            blackholed = true;
        } finally {
            lock.unlock();
        }
        LOG.info("proxy :{} -> {} black-holed", port(), target);
    }

    /** Lets bytes through again after {@link #blackhole()}. */
    public void resume() {
        lock.lock();
        try {
            blackholed = false;
            flowing.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.info("proxy :{} -> {} forwarding again", port(), target);
    }

    /** Resets every open connection (both sides); new connections are accepted as before. */
    public void dropConnections() {
        sockets.forEach(TcpProxy::reset);
        sockets.clear();
        LOG.info("proxy :{} -> {} dropped its connections", port(), target);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        dropConnections();
        resume();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("proxy :{} stopped accepting: {}", port(), e.toString());
                }
                return;
            }
            accepted.incrementAndGet();
            sockets.add(client);
            Thread.ofVirtual().name("tcp-proxy-conn-" + port()).start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            awaitFlowing();
            sockets.add(upstream);
            upstream.connect(target, 5_000);
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        Thread.ofVirtual().start(() -> pump(client, upstream));
        pump(upstream, client);
    }

    /** Copies {@code from} to {@code to} until either closes, holding bytes while black-holed. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitFlowing();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // One side closed or was reset: close the other so that the peer sees it too.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private void awaitFlowing() throws InterruptedException {
        lock.lock();
        try {
            while (blackholed && !closed) {
                flowing.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes with an RST rather than a FIN, as a crashed peer or a middlebox would. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closed already
        }
        closeQuietly(s);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[127.0.0.1:" + port() + " -> " + target + "]";
    }
}
