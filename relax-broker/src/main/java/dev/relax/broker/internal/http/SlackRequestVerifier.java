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
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Result.BAD_SIGNATURE;
        }
        byte[] expected = sign(signingSecret, timestamp.trim(), body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature.trim().getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            return Result.BAD_SIGNATURE;
        }
        long now = clock.instant().getEpochSecond();
        boolean fresh = seconds >= now - toleranceSeconds && seconds <= now + toleranceSeconds;
        return fresh ? Result.OK : Result.STALE;
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
