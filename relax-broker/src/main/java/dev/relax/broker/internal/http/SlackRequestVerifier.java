/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import dev.relax.core.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a request came from Slack, as https://api.slack.com/authentication/verifying-requests-from-slack
 * documents: {@code X-Slack-Signature} must be {@code v0=} and the hex HMAC-SHA256 of
 * {@code v0:<X-Slack-Request-Timestamp>:<raw body>} keyed with the app's signing secret, compared in
 * constant time, and the timestamp must be within five minutes of now (either way), so that a captured
 * request cannot be replayed later. Thread-safe and stateless apart from the clock.
 */
public final class SlackRequestVerifier {
    /** Slack's documented tolerance for the request timestamp. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String VERSION = "v0";
    /** {@code v0=} and the hex of a 32-byte HMAC-SHA256. */
    private static final int SIGNATURE_LENGTH = VERSION.length() + 1 + 64;

    /** The outcome of {@link #verify}. */
    public enum Result {
        /** Signed with the secret, and fresh. */
        OK,
        /** No signature or timestamp, or a signature that does not match. */
        BAD_SIGNATURE,
        /** Signed with the secret, but the timestamp is too far from now: a replay, or a skewed clock. */
        STALE
    }

    private final Clock clock;
    private final long toleranceSeconds;

    public SlackRequestVerifier(Clock clock, Duration tolerance) {
        this.clock = clock;
        this.toleranceSeconds = tolerance.toSeconds();
    }

    public SlackRequestVerifier(Clock clock) {
        this(clock, DEFAULT_TOLERANCE);
    }

    /**
     * What can be told from the headers alone, before a byte of the body is read: both headers present, a
     * signature of the form {@code v0=} and 64 hex digits, and a timestamp within the tolerance of now.
     * {@link Result#OK} here means only "worth reading and verifying"; {@link Result#STALE} here says nothing
     * of who signed (the body is not read), only that the timestamp is out of the window Slack documents.
     *
     * @param timestamp the {@code X-Slack-Request-Timestamp} header, or null
     * @param signature the {@code X-Slack-Signature} header, or null
     */
    public Result checkHeaders(String timestamp, String signature) {
        if (timestamp == null || signature == null) {
            return Result.BAD_SIGNATURE;
        }
        String s = signature.trim();
        if (s.length() != SIGNATURE_LENGTH || !s.startsWith(VERSION + "=")) {
            return Result.BAD_SIGNATURE;
        }
        for (int i = VERSION.length() + 1; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return Result.BAD_SIGNATURE;
            }
        }
        return freshness(timestamp);
    }

    /**
     * Verifies one request. The signature is checked before the timestamp so that {@link Result#STALE}
     * means a request Slack did sign (pointing at clock skew or a replay), never a forgery.
     *
     * @param timestamp the {@code X-Slack-Request-Timestamp} header, or null
     * @param signature the {@code X-Slack-Signature} header, or null
     * @param body the raw request body, exactly as received
     */
    public Result verify(Secret signingSecret, String timestamp, String signature, byte[] body) {
        if (signingSecret.isEmpty() || timestamp == null || signature == null) {
            return Result.BAD_SIGNATURE;
        }
        byte[] expected = sign(signingSecret, timestamp.trim(), body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature.trim().getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            return Result.BAD_SIGNATURE;
        }
        return freshness(timestamp);
    }

    /** OK when {@code timestamp} (Unix seconds) is within the tolerance of the clock, STALE when not, BAD_SIGNATURE when it is no number. */
    private Result freshness(String timestamp) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Result.BAD_SIGNATURE;
        }
        long now = clock.instant().getEpochSecond();
        return seconds >= now - toleranceSeconds && seconds <= now + toleranceSeconds ? Result.OK : Result.STALE;
    }

    /** {@code v0=} and the hex HMAC-SHA256 of {@code v0:<timestamp>:<body>} keyed with the signing secret. */
    public static String sign(Secret signingSecret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((VERSION + ":" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return VERSION + "=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            // Every JDK ships HmacSHA256; without it no request could be verified at all.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
