/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signature (https://api.slack.com/authentication/verifying-requests-from-slack): {@code v0=}
 * and the hex HMAC-SHA256 of {@code v0:<timestamp>:<body>}, keyed with the app's signing secret. The
 * simulator signs its Events API requests with it; a test signs the requests it makes by hand with it, so
 * that the code under test is checked against a computation of its own:
 *
 * <pre>{@code
 * String now = Long.toString(Instant.now().getEpochSecond());
 * HttpRequest request = HttpRequest.newBuilder(uri)
 *         .header("X-Slack-Request-Timestamp", now)
 *         .header("X-Slack-Signature", SlackSignature.sign(app.signingSecret().reveal(), now, body))
 *         .POST(HttpRequest.BodyPublishers.ofString(body))
 *         .build();
 * }</pre>
 */
public final class SlackSignature {
    private SlackSignature() {}

    /**
     * The {@code X-Slack-Signature} of {@code body} (as UTF-8) sent with {@code X-Slack-Request-Timestamp:
     * timestamp}, e.g. {@code v0=a2114d57…}.
     */
    public static String sign(String signingSecret, String timestamp, String body) {
        Objects.requireNonNull(signingSecret, "signingSecret");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(body, "body");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            // Every JDK ships HmacSHA256.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
