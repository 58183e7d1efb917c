/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.core.internal.Redaction;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void masksSlackTokensOfEveryKind() {
        assertThat(Redaction.redact("bot xoxb-1-2-abc, user xoxp-9-z, app xapp-1-A0-77"))
                .isEqualTo("bot xoxb-****, user xoxp-****, app xapp-****");
    }

    @Test
    void masksSecretJsonFieldsWhateverTheirValue() {
        assertThat(Redaction.redact("{\"token\":\"plain\",\"signing_secret\":\"s3\",\"team_id\":\"T1\"}"))
                .isEqualTo("{\"token\":\"****\",\"signing_secret\":\"****\",\"team_id\":\"T1\"}");
    }

    @Test
    void masksTheWholeUserInformationOfUrls() {
        assertThat(Redaction.redact("redis://:hunter2@localhost:6379/1 rediss://u:p@h:1 redis://hunter3@h/2"))
                .isEqualTo("redis://****@localhost:6379/1 rediss://****@h:1 redis://****@h/2");
    }

    @Test
    void masksAMalformedUrlUpToItsLastAt() {
        assertThat(Redaction.redactUrl("redis://:p@ss/w rd@host:6379/x")).isEqualTo("redis://****@host:6379/x");
        assertThat(Redaction.redactUrl("hunter2@host:6379")).isEqualTo("****@host:6379");
        assertThat(Redaction.redactUrl("redis://host:6379/0")).isEqualTo("redis://host:6379/0");
    }

    @Test
    void masksSecretFieldsOfDocumentsThatAreNotValidJson() {
        assertThat(Redaction.redact("{\"token\": hunter2, \"signing_secret\":'s3', client_secret: abc}"))
                .isEqualTo("{\"token\": ****, \"signing_secret\":'****', client_secret: ****}");
        assertThat(Redaction.redact("{\"app_token\":\"unterminated")).isEqualTo("{\"app_token\":\"****");
        assertThat(Redaction.redact("{\"bot_token\":{\"v\":\"x\"},\"password\":[\"y\"]}"))
                .isEqualTo("{\"bot_token\":{****},\"password\":[****]}");
        assertThat(Redaction.redact("field 'token' must be a string")).isEqualTo("field 'token' must be a string");
    }

    @Test
    void masksOneTimeTicketsInWebsocketUrls() {
        assertThat(Redaction.redact("dial wss://wss.slack.example/link/?ticket=abc-123&app_id=A1 failed"))
                .isEqualTo("dial wss://wss.slack.example/link/?ticket=****&app_id=A1 failed");
    }

    @Test
    void excerptIsShortSingleLineAndRedacted() {
        String json = "{\n\"token\":\"xoxb-SECRET\",\n" + "\"x\":\"" + "a".repeat(200) + "\"}";
        String excerpt = Redaction.excerpt(json, 10, 40);

        assertThat(excerpt).doesNotContain("SECRET").doesNotContain("\n").hasSizeLessThanOrEqualTo(42);
    }

    @Test
    void aRedactedThrowableKeepsClassesAndStackTracesAndMasksEveryMessage() {
        IllegalStateException cause = new IllegalStateException("header Authorization: Bearer xoxb-1-secret");
        RuntimeException top = new RuntimeException("calling redis://:hunter2@db:6379 failed", cause);

        Throwable safe = Redaction.redacted(top);

        assertThat(safe.getMessage()).isEqualTo("java.lang.RuntimeException: calling redis://****@db:6379 failed");
        assertThat(safe.getStackTrace()).isEqualTo(top.getStackTrace());
        assertThat(safe.getCause().getMessage())
                .isEqualTo("java.lang.IllegalStateException: header Authorization: Bearer ****");
        assertThat(safe.getCause().getStackTrace()).isEqualTo(cause.getStackTrace());
        java.io.StringWriter printed = new java.io.StringWriter();
        safe.printStackTrace(new java.io.PrintWriter(printed));
        assertThat(printed.toString()).doesNotContain("hunter2", "secret").contains("RedactionTest");
    }

    @Test
    void masksAHeaderValueTheJdkQuotesWhateverItHolds() {
        IllegalArgumentException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                IllegalArgumentException.class,
                () -> java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1/api/x"))
                        .header("Authorization", "Bearer xoxb-1-good\n2tailS3CRET"));

        assertThat(e.getMessage()).contains("tailS3CRET");
        assertThat(Redaction.redact(e.toString())).doesNotContain("tailS3CRET", "xoxb-1-good");
        assertThat(Redaction.redact("sent Authorization: Bearer abc.DEF-123_x="))
                .isEqualTo("sent Authorization: Bearer ****");
    }
}
