/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.relay.internal.BackendOutcome.Answered;
import dev.relax.relay.internal.BackendOutcome.CutOff;
import dev.relax.relay.internal.BackendOutcome.Errored;
import dev.relax.relay.internal.BackendOutcome.Failed;
import dev.relax.relay.internal.BackendOutcome.Failure;
import dev.relax.relay.internal.BackendOutcome.Malformed;
import dev.relax.relay.internal.BackendOutcome.Refused;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one response of the backend as the contract says (docs/relay.md, "The response") and hands its
 * chunks to the sink as they arrive: a JSON answer whole, an event stream event by event. Enforces the
 * idle and total timeouts while it reads. One reader per response, on the thread that asked.
 */
final class ResponseReader {
    /** The most of a JSON answer or of a refusal's body the relay reads. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BodyQueue body;
    private final AnswerSink sink;
    private final long idleNanos;
    private final long deadline;
    private int chunks;
    // Set by the SSE callback when done or error ends the answer; events after it are ignored.
    private BackendOutcome ending;
    // Why readWhole returned null.
    private BackendOutcome incomplete;

    /**
     * @param deadline the {@link System#nanoTime()} by which the whole answer must be in
     */
    ResponseReader(BodyQueue body, AnswerSink sink, long idleNanos, long deadline) {
        this.body = body;
        this.sink = sink;
        this.idleNanos = idleNanos;
        this.deadline = deadline;
    }

    /** Reads the response of {@code status} and {@code contentType} (may be null) to its end. */
    BackendOutcome read(int status, String contentType) throws InterruptedException {
        try {
            if (status >= 500 && status <= 599) {
                return new Failed(Failure.SERVER_ERROR, 1, "HTTP " + status);
            }
            if (status >= 400 && status <= 499) {
                String text = readWhole();
                return text == null ? incomplete : new Refused(status, refusal(status, text));
            }
            if (status < 200 || status > 299) {
                return new Malformed("unexpected status " + status);
            }
            String mediaType = contentType == null
                    ? ""
                    : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            return switch (mediaType) {
                case "application/json" -> readJson();
                case "text/event-stream" -> readStream();
                default -> new Malformed("unexpected content type " + (contentType == null ? "(none)" : contentType));
            };
        } finally {
            body.cancel();
        }
    }

    private BackendOutcome readJson() throws InterruptedException {
        String text = readWhole();
        if (text == null) {
            return incomplete;
        }
        JsonNode answer = jsonObject(text);
        if (answer == null || !answer.path("text").isTextual()) {
            return new Malformed("a JSON answer without a string \"text\"");
        }
        String whole = answer.get("text").asText();
        if (!whole.isEmpty()) {
            chunks++;
            sink.whole(whole);
        }
        return new Answered(chunks);
    }

    private BackendOutcome readStream() throws InterruptedException {
        CharsetDecoder decoder = decoder();
        SseParser parser = new SseParser(this::onEvent);
        ByteBuffer carry = ByteBuffer.allocate(0);
        CharBuffer chars = CharBuffer.allocate(8192);
        while (true) {
            BodyQueue.Piece piece = nextPiece();
            switch (piece) {
                case null -> {
                    return timedOut();
                }
                case BodyQueue.End end -> {
                    String detail = "the stream ended without done";
                    return chunks > 0 ? new CutOff(chunks, detail) : new Failed(Failure.CUT_OFF, 1, detail);
                }
                case BodyQueue.Broken broken -> {
                    return broken(broken.error());
                }
                case BodyQueue.Bytes bytes -> {
                    for (ByteBuffer buffer : bytes.buffers()) {
                        carry = decode(decoder, join(carry, buffer), chars, parser);
                        if (ending != null) {
                            return ending;
                        }
                    }
                }
            }
        }
    }

    private void onEvent(String type, String data) {
        if (ending != null) {
            return;
        }
        switch (type) {
            case SseParser.MESSAGE -> {
                JsonNode json = jsonObject(data);
                deliver(
                        json != null && json.path("text").isTextual()
                                ? json.get("text").asText()
                                : data);
            }
            case "done" -> ending = new Answered(chunks);
            case "error" -> ending = new Errored(chunks, message(data, "The backend could not answer."));
            default -> {} // other event names are ignored, as the contract says
        }
    }

    private void deliver(String chunk) {
        if (!chunk.isEmpty()) {
            chunks++;
            sink.chunk(chunk);
        }
    }

    /** Decodes what of {@code bytes} is whole UTF-8 into the parser; returns the undecoded tail. */
    private static ByteBuffer decode(CharsetDecoder decoder, ByteBuffer bytes, CharBuffer chars, SseParser parser) {
        while (true) {
            var result = decoder.decode(bytes, chars, false);
            chars.flip();
            parser.feed(chars.array(), chars.arrayOffset() + chars.position(), chars.remaining());
            chars.clear();
            if (result.isUnderflow()) {
                return bytes;
            }
        }
    }

    private static ByteBuffer join(ByteBuffer carry, ByteBuffer next) {
        if (!carry.hasRemaining()) {
            return next;
        }
        ByteBuffer joined = ByteBuffer.allocate(carry.remaining() + next.remaining());
        return joined.put(carry).put(next).flip();
    }

    /** The whole body as UTF-8 text (at most {@link #MAX_BODY_BYTES}); null, with {@link #incomplete} set, when it did not all come. */
    private String readWhole() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            BodyQueue.Piece piece = nextPiece();
            switch (piece) {
                case null -> {
                    incomplete = timedOut();
                    return null;
                }
                case BodyQueue.End end -> {
                    return bytes.toString(StandardCharsets.UTF_8);
                }
                case BodyQueue.Broken broken -> {
                    incomplete = broken(broken.error());
                    return null;
                }
                case BodyQueue.Bytes piecesOf -> {
                    for (ByteBuffer buffer : piecesOf.buffers()) {
                        byte[] taken = new byte[Math.min(buffer.remaining(), MAX_BODY_BYTES - bytes.size())];
                        buffer.get(taken);
                        bytes.writeBytes(taken);
                    }
                    if (bytes.size() >= MAX_BODY_BYTES) {
                        return bytes.toString(StandardCharsets.UTF_8);
                    }
                }
            }
        }
    }

    private BodyQueue.Piece nextPiece() throws InterruptedException {
        long wait = Math.min(idleNanos, deadline - System.nanoTime());
        return wait <= 0 ? null : body.next(wait);
    }

    private BackendOutcome timedOut() {
        String detail = System.nanoTime() - deadline >= 0 ? "total timeout" : "idle timeout";
        return chunks > 0 ? new CutOff(chunks, detail) : new Failed(Failure.TIMEOUT, 1, detail);
    }

    private BackendOutcome broken(Throwable error) {
        String detail = "the connection broke: " + error;
        return chunks > 0 ? new CutOff(chunks, detail) : new Failed(Failure.CONNECTION, 1, detail);
    }

    private static String refusal(int status, String body) {
        return message(body, "The backend refused the question (HTTP " + status + ").");
    }

    /** {@code {"message":"…"}}'s message, else the text itself; {@code fallback} when that is blank. */
    private static String message(String text, String fallback) {
        JsonNode json = jsonObject(text);
        String message = json != null && json.path("message").isTextual()
                ? json.get("message").asText()
                : text;
        return message.isBlank() ? fallback : message.strip();
    }

    /** {@code text} as a JSON object, or null when it is not one. */
    private static JsonNode jsonObject(String text) {
        if (!text.stripLeading().startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }
}
