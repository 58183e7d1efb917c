/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import com.sun.net.httpserver.HttpExchange;
import dev.relax.broker.internal.apps.EnvelopeKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One request to {@code /slack/...} and what its steps learn of it, for the next steps, the answer and the
 * log lines. Used by the request's own thread only.
 */
final class SlackRequest {
    static final String TIMESTAMP = "X-Slack-Request-Timestamp";
    static final String SIGNATURE = "X-Slack-Signature";

    final HttpExchange exchange;
    /** What the path names; set by {@link SlackRoute}. */
    EnvelopeKind kind;
    /** From the path, else from the body once read; "" until known. Unverified until the HMAC is checked. */
    String appId = "";
    /** Whether the body was read whole; if not, the answer closes the connection. */
    boolean bodyRead;

    SlackRequest(HttpExchange exchange) {
        this.exchange = exchange;
    }

    /** The first value of a request header, or null. */
    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /**
     * An id of this delivery for a command or interaction without a {@code trigger_id}, or a raw payload:
     * the same for a resent request, different for a new one (the timestamp is signed with the body). Not
     * the signature itself, which is never stored or logged.
     */
    String digest(byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.valueOf(header(TIMESTAMP)).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) ':');
            return "sha256:" + HexFormat.of().formatHex(sha.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Where the request came from, for log lines. */
    String remote() {
        var address = exchange.getRemoteAddress();
        return address == null ? "?" : address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
