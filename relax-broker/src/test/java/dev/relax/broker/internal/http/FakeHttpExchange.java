/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link HttpExchange} in memory: a request as a handler sees it, and what the handler answered. The body
 * counts the bytes the handler read, and may hold back its last byte until {@link #releaseBody()} (or an
 * interrupt of the reading thread, which fails the read as an interruptible channel would).
 */
final class FakeHttpExchange extends HttpExchange {
    private final String method;
    private final URI uri;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final CountingBody body;
    private final ByteArrayOutputStream response = new ByteArrayOutputStream();
    private volatile int status = -1;
    private volatile boolean closed;

    FakeHttpExchange(String method, String rawPath, byte[] body) {
        this(method, rawPath, body, false);
    }

    /** @param holdLastByte when true, reading the body blocks before its last byte until {@link #releaseBody()} */
    FakeHttpExchange(String method, String rawPath, byte[] body, boolean holdLastByte) {
        this.method = method;
        this.uri = URI.create(rawPath);
        this.body = new CountingBody(body, holdLastByte);
        requestHeaders.set("Content-Length", Integer.toString(body.length));
    }

    FakeHttpExchange header(String name, String value) {
        if (value == null) {
            requestHeaders.remove(name);
        } else {
            requestHeaders.set(name, value);
        }
        return this;
    }

    /** Bytes of the body the handler read. */
    int bodyBytesRead() {
        return body.read.get();
    }

    /**
     * Waits until the handler is blocked before the last byte of a held body; fails after 10 s, as when the
     * handler answered without reading that far.
     */
    void awaitBodyHeld() throws InterruptedException {
        if (!body.reachedHold.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the handler did not read up to the held byte; it answered " + status);
        }
    }

    void releaseBody() {
        body.release.countDown();
    }

    int status() {
        return status;
    }

    String responseBody() {
        return response.toString(StandardCharsets.UTF_8);
    }

    boolean closed() {
        return closed;
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return method;
    }

    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public InputStream getRequestBody() {
        return body;
    }

    @Override
    public OutputStream getResponseBody() {
        return response;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
        status = rCode;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return new InetSocketAddress("192.0.2.7", 51234);
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
        return null;
    }

    @Override
    public void setAttribute(String name, Object value) {}

    @Override
    public void setStreams(InputStream i, OutputStream o) {}

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    private static final class CountingBody extends InputStream {
        private final byte[] bytes;
        private final boolean hold;
        final AtomicInteger read = new AtomicInteger();
        final CountDownLatch reachedHold = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        CountingBody(byte[] bytes, boolean hold) {
            this.bytes = bytes;
            this.hold = hold;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int at = read.get();
            if (at >= bytes.length) {
                return -1;
            }
            if (hold && at == bytes.length - 1) {
                reachedHold.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted while reading the body");
                }
            }
            int n = Math.min(len, hold && at < bytes.length - 1 ? bytes.length - 1 - at : bytes.length - at);
            System.arraycopy(bytes, at, b, off, n);
            read.addAndGet(n);
            return n;
        }
    }
}
