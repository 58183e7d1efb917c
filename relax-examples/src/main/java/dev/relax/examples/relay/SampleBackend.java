/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples.relay;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A backend for the relay (issue 15) that speaks the contract of docs/relay.md: it answers
 * {@code "You asked: <question> …"}, as one JSON document or, when the request accepts
 * {@code text/event-stream}, as Server-Sent Events word by word. Tests choose a {@link Misbehaviour} to
 * see how the relay copes with a backend that hangs, fails, cuts its stream or sends garbage.
 *
 * <pre>{@code
 * try (SampleBackend backend = SampleBackend.builder().port(0).chunkDelay(Duration.ZERO).start()) {
 *     // point the relay at backend.url(), ask a question, then:
 *     RecordedRequest request = backend.requests().get(0);
 *     assertThat(request.header("Idempotency-Key")).isEqualTo(request.question().eventId());
 * }
 * }</pre>
 *
 * <p>Run it alone with {@code main}: port from the first argument, else {@code PORT}, else 8088; on
 * loopback unless {@code BIND_ADDRESS} says otherwise; {@code CHUNK_DELAY_MS} and {@code BACKEND_TOKEN}
 * as in the {@link Builder}.
 */
public final class SampleBackend implements AutoCloseable {
    /** The port {@code main} listens on when neither an argument nor {@code PORT} gives one. */
    public static final int DEFAULT_PORT = 8088;

    /** The pause between two chunks of a streamed answer unless the builder sets another. */
    public static final Duration DEFAULT_CHUNK_DELAY = Duration.ofMillis(50);

    /** What {@link Misbehaviour#MALFORMED} sends to a request that accepts JSON only: cut-off JSON. */
    public static final String MALFORMED_JSON = "{\"text\":\"You asked";

    /** What {@link Misbehaviour#MALFORMED} streams; see {@link #malformedStream()}. */
    private static final byte[] MALFORMED_STREAM = concat(
            ": keep-alive\n\n"
                    + "data: {\"text\":\"You asked: \"}\n\n"
                    + "this line has no colon\n\n"
                    + "data: {\"text\": \"unterminated\n\n"
                    + "data: ",
            new byte[] {(byte) 0xff, (byte) 0xfe},
            " not UTF-8\n\n" + "event: done\ndata: {}");

    private final Builder options;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AnswerHandler handler;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    private SampleBackend(Builder options) throws IOException {
        this.options = options.copy();
        this.server = HttpServer.create(new InetSocketAddress(options.bindAddress, options.port), 0);
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("sample-backend-", 0).factory());
        server.setExecutor(executor);
        this.handler = new AnswerHandler(this.options, closed, requests);
        server.createContext("/", handler);
        server.start();
    }

    /** A builder with the defaults: port 0, loopback, {@link #DEFAULT_CHUNK_DELAY}, no misbehaviour. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs a backend until the JVM stops.
     *
     * @param args an optional port
     */
    public static void main(String[] args) throws InterruptedException {
        SampleBackend backend = fromEnv(System.getenv(), args).start();
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "sample-backend-shutdown"));
        System.out.println("Sample backend listening on " + backend.url() + " (Ctrl-C stops it)");
        backend.closed.await();
    }

    /** The options {@code main} uses, from its arguments and environment; see the class comment. */
    static Builder fromEnv(Map<String, String> env, String[] args) {
        Builder builder = builder().port(DEFAULT_PORT);
        String port = args.length > 0 ? args[0] : env.get("PORT");
        if (port != null && !port.isBlank()) {
            builder.port(parseInt("port", port));
        }
        String bind = env.get("BIND_ADDRESS");
        if (bind != null && !bind.isBlank()) {
            try {
                builder.bindAddress(InetAddress.getByName(bind.strip()));
            } catch (IOException e) {
                throw new IllegalArgumentException("BIND_ADDRESS is not an address: " + bind, e);
            }
        }
        String delay = env.get("CHUNK_DELAY_MS");
        if (delay != null && !delay.isBlank()) {
            builder.chunkDelay(Duration.ofMillis(parseInt("CHUNK_DELAY_MS", delay)));
        }
        String token = env.get("BACKEND_TOKEN");
        if (token != null && !token.isBlank()) {
            builder.bearerToken(token.strip());
        }
        return builder;
    }

    /** Where to POST questions, e.g. {@code http://127.0.0.1:8088/}. */
    public URI url() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/");
    }

    /** The port it listens on (the one the system chose when the builder said 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Every request received so far, oldest first, valid or not. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * The answer to a question: its words after {@code "You asked:"}, then a fixed sentence. For
     * {@code "what is  the\nstatus?"}: {@code "You asked: what is the status? — that is all I know."}
     */
    public static String answerTo(String question) {
        String words = String.join(" ", question.strip().split("\\s+"));
        return (words.isEmpty() ? "You asked nothing" : "You asked: " + words) + " — that is all I know.";
    }

    /** The chunks an answer streams in: one word each, with the space after it, so they join to it. */
    public static List<String> chunksOf(String answer) {
        List<String> chunks = new ArrayList<>();
        int start = 0;
        for (int space = answer.indexOf(' '); space >= 0; space = answer.indexOf(' ', start)) {
            chunks.add(answer.substring(start, space + 1));
            start = space + 1;
        }
        if (start < answer.length()) {
            chunks.add(answer.substring(start));
        }
        return chunks;
    }

    /**
     * The exact bytes {@link Misbehaviour#MALFORMED} streams: a keep-alive, one good JSON chunk, a line
     * without a colon (a spec reader ignores it), a chunk of invalid JSON, a chunk of invalid UTF-8, and a
     * {@code done} event without the blank line that would dispatch it (a spec reader drops it at the end
     * of the stream, so the answer ends cut off).
     */
    public static byte[] malformedStream() {
        return MALFORMED_STREAM.clone();
    }

    /** Stops listening, ends the requests it is holding (hanging or streaming), and frees its threads. */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        // The handlers the latch just released end their responses (a cut-short stream ends cleanly);
        // then the server closes every connection.
        handler.awaitIdle(Duration.ofSeconds(5));
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "SampleBackend[url=" + url() + ", misbehaviour=" + options.misbehaviour + "]";
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got \"" + value + "\"", e);
        }
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] a = head.getBytes(StandardCharsets.UTF_8);
        byte[] c = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }

    /**
     * Options of a {@link SampleBackend}; {@link #start()} validates them and starts one. Not thread-safe;
     * the backend keeps a copy, so a builder can start several.
     */
    public static final class Builder {
        int port;
        InetAddress bindAddress = InetAddress.getLoopbackAddress();
        Duration chunkDelay = DEFAULT_CHUNK_DELAY;
        boolean plainTextChunks;
        String bearerToken;
        Misbehaviour misbehaviour = Misbehaviour.NONE;
        int status;
        int cutAfter;
        Duration firstByteDelay = Duration.ZERO;

        private Builder() {}

        /** The port to listen on; 0 (the default) lets the system choose one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The address to listen on; loopback by default, so nothing outside the machine can call it. */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /** The pause between two streamed chunks ({@link #DEFAULT_CHUNK_DELAY} unless set). */
        public Builder chunkDelay(Duration chunkDelay) {
            this.chunkDelay = chunkDelay;
            return this;
        }

        /** Streams each chunk as plain {@code data} instead of JSON {@code {"text":...}}. */
        public Builder plainTextChunks() {
            this.plainTextChunks = true;
            return this;
        }

        /** Refuses with 401 every request without {@code Authorization: Bearer <token>}. */
        public Builder bearerToken(String token) {
            this.bearerToken = token;
            return this;
        }

        /** {@link Misbehaviour#HANG}: never answers. */
        public Builder hang() {
            return misbehave(Misbehaviour.HANG);
        }

        /** {@link Misbehaviour#STATUS}: answers {@code status} (200-599) with {@code {"message":...}}. */
        public Builder failWith(int status) {
            this.status = status;
            return misbehave(Misbehaviour.STATUS);
        }

        /** {@link Misbehaviour#CUT}: streams {@code chunks} chunks, then ends without {@code done}. */
        public Builder cutAfter(int chunks) {
            this.cutAfter = chunks;
            return misbehave(Misbehaviour.CUT);
        }

        /** {@link Misbehaviour#MALFORMED}: sends {@link SampleBackend#malformedStream()}. */
        public Builder malformed() {
            return misbehave(Misbehaviour.MALFORMED);
        }

        /** {@link Misbehaviour#SLOW_FIRST_BYTE}: waits {@code delay} before the headers, then answers. */
        public Builder slowFirstByte(Duration delay) {
            this.firstByteDelay = delay;
            return misbehave(Misbehaviour.SLOW_FIRST_BYTE);
        }

        /**
         * Validates the options and starts listening.
         *
         * @throws IllegalArgumentException naming the bad option
         * @throws UncheckedIOException when the port cannot be bound
         */
        public SampleBackend start() {
            check(port >= 0 && port <= 65535, "port", port);
            check(bindAddress != null, "bindAddress", null);
            check(chunkDelay != null && !chunkDelay.isNegative(), "chunkDelay", chunkDelay);
            check(firstByteDelay != null && !firstByteDelay.isNegative(), "slowFirstByte", firstByteDelay);
            check(misbehaviour != Misbehaviour.STATUS || (status >= 200 && status <= 599), "failWith", status);
            check(cutAfter >= 0, "cutAfter", cutAfter);
            check(bearerToken == null || !bearerToken.isBlank(), "bearerToken", "(blank)");
            try {
                return new SampleBackend(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port, e);
            }
        }

        private Builder misbehave(Misbehaviour misbehaviour) {
            this.misbehaviour = misbehaviour;
            return this;
        }

        Builder copy() {
            Builder copy = new Builder();
            copy.port = port;
            copy.bindAddress = bindAddress;
            copy.chunkDelay = chunkDelay;
            copy.plainTextChunks = plainTextChunks;
            copy.bearerToken = bearerToken;
            copy.misbehaviour = misbehaviour;
            copy.status = status;
            copy.cutAfter = cutAfter;
            copy.firstByteDelay = firstByteDelay;
            return copy;
        }

        private static void check(boolean valid, String option, Object value) {
            if (!valid) {
                throw new IllegalArgumentException("invalid " + option + ": " + value);
            }
        }
    }
}
