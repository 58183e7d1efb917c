/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.broker.internal.http.SlackRequestVerifier.Result;
import dev.relax.core.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SlackRequestVerifierTest {
    // Slack's worked example, https://api.slack.com/authentication/verifying-requests-from-slack
    // (the token in its body is xyzz0WbapA4vBCDEFasx0q6G; with any other the signature differs).
    private static final Secret SECRET = Secret.of("8f742231b10e8888abcd99yyyzzz85a5");
    private static final String TIMESTAMP = "1531420618";
    private static final byte[] BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
                    + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
                    + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
                    + "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                    + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
            .getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static SlackRequestVerifier at(long epochSecond) {
        return new SlackRequestVerifier(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    private static final SlackRequestVerifier THEN = at(Long.parseLong(TIMESTAMP) + 10);

    @Test
    void signsSlacksDocumentedExampleAsSlackDoes() {
        assertThat(SlackRequestVerifier.sign(SECRET, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void acceptsSlacksDocumentedExampleWithinFiveMinutes() {
        assertThat(THEN.verify(SECRET, TIMESTAMP, SIGNATURE, BODY)).isEqualTo(Result.OK);
        assertThat(at(Long.parseLong(TIMESTAMP) + 300).verify(SECRET, TIMESTAMP, SIGNATURE, BODY))
                .isEqualTo(Result.OK);
        assertThat(at(Long.parseLong(TIMESTAMP) - 300).verify(SECRET, TIMESTAMP, SIGNATURE, BODY))
                .isEqualTo(Result.OK);
    }

    @Test
    void refusesATamperedBody() {
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 1] = 'd';
        assertThat(THEN.verify(SECRET, TIMESTAMP, SIGNATURE, tampered)).isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void refusesAnotherSecret() {
        assertThat(THEN.verify(Secret.of("8f742231b10e8888abcd99yyyzzz85a6"), TIMESTAMP, SIGNATURE, BODY))
                .isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void refusesATamperedTimestamp() {
        assertThat(THEN.verify(SECRET, "1531420619", SIGNATURE, BODY)).isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void refusesATamperedOrMissingSignature() {
        String flipped = SIGNATURE.substring(0, SIGNATURE.length() - 1) + "4";
        assertThat(THEN.verify(SECRET, TIMESTAMP, flipped, BODY)).isEqualTo(Result.BAD_SIGNATURE);
        assertThat(THEN.verify(SECRET, TIMESTAMP, SIGNATURE.substring(3), BODY)).isEqualTo(Result.BAD_SIGNATURE);
        assertThat(THEN.verify(SECRET, TIMESTAMP, null, BODY)).isEqualTo(Result.BAD_SIGNATURE);
        assertThat(THEN.verify(SECRET, null, SIGNATURE, BODY)).isEqualTo(Result.BAD_SIGNATURE);
        assertThat(THEN.verify(SECRET, "not-a-number", SIGNATURE, BODY)).isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void refusesEverythingWithAnEmptySecret() {
        assertThat(THEN.verify(Secret.of(""), TIMESTAMP, SIGNATURE, BODY)).isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void refusesAGenuineRequestMoreThanFiveMinutesOldOrAhead() {
        long ts = Long.parseLong(TIMESTAMP);
        assertThat(at(ts + 301).verify(SECRET, TIMESTAMP, SIGNATURE, BODY)).isEqualTo(Result.STALE);
        assertThat(at(ts - 301).verify(SECRET, TIMESTAMP, SIGNATURE, BODY)).isEqualTo(Result.STALE);
        assertThat(at(ts + 86_400).verify(SECRET, TIMESTAMP, SIGNATURE, BODY)).isEqualTo(Result.STALE);
    }

    @Test
    void aStaleForgeryIsABadSignatureNotStale() {
        assertThat(at(Long.parseLong(TIMESTAMP) + 3600).verify(SECRET, TIMESTAMP, "v0=00", BODY))
                .isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void theHeadersAloneAreWorthReadingTheBodyForOnlyWhenBothAreThereWellFormedAndFresh() {
        assertThat(THEN.checkHeaders(TIMESTAMP, SIGNATURE)).isEqualTo(Result.OK);
        assertThat(THEN.checkHeaders(
                        " " + TIMESTAMP + " ",
                        SIGNATURE.toUpperCase(java.util.Locale.ROOT).replace("V0=", "v0=")))
                .isEqualTo(Result.OK);
        assertThat(THEN.checkHeaders(null, SIGNATURE)).isEqualTo(Result.BAD_SIGNATURE);
        assertThat(THEN.checkHeaders(TIMESTAMP, null)).isEqualTo(Result.BAD_SIGNATURE);
        assertThat(THEN.checkHeaders(TIMESTAMP, "v0=00")).isEqualTo(Result.BAD_SIGNATURE);
        assertThat(THEN.checkHeaders(TIMESTAMP, "v1=" + SIGNATURE.substring(3))).isEqualTo(Result.BAD_SIGNATURE);
        assertThat(THEN.checkHeaders(TIMESTAMP, SIGNATURE.substring(0, 66) + "g"))
                .isEqualTo(Result.BAD_SIGNATURE);
        assertThat(THEN.checkHeaders("not-a-number", SIGNATURE)).isEqualTo(Result.BAD_SIGNATURE);
        long ts = Long.parseLong(TIMESTAMP);
        assertThat(at(ts + 301).checkHeaders(TIMESTAMP, SIGNATURE)).isEqualTo(Result.STALE);
        assertThat(at(ts - 301).checkHeaders(TIMESTAMP, "v0=" + "0".repeat(64))).isEqualTo(Result.STALE);
    }
}
