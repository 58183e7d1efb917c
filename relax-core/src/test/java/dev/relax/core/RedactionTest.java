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
    void masksPasswordsInRedisUrls() {
        assertThat(Redaction.redact("redis://:hunter2@localhost:6379/1 rediss://u:p@h:1"))
                .isEqualTo("redis://:****@localhost:6379/1 rediss://u:****@h:1");
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
}
