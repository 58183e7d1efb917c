/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sample backend's answers, its options from the environment and the request body it accepts. */
class SampleBackendTest {

    private static final String BODY =
            """
            {"event_id":"Ev01","app_id":"A01","team_id":"T01","channel":"C01","user":"U01",
             "thread_ts":"1700000000.000100","text":"deploy status?","is_dm":false%s}""";

    @Test
    void answersWithTheQuestionsWordsAndStreamsThemWordByWord() {
        String answer = SampleBackend.answerTo("  what is\n the   status? ");

        assertThat(answer).isEqualTo("You asked: what is the status? — that is all I know.");
        assertThat(SampleBackend.chunksOf(answer))
                .containsExactly(
                        "You ",
                        "asked: ",
                        "what ",
                        "is ",
                        "the ",
                        "status? ",
                        "— ",
                        "that ",
                        "is ",
                        "all ",
                        "I ",
                        "know.");
        assertThat(SampleBackend.answerTo(" ")).isEqualTo("You asked nothing — that is all I know.");
    }

    @Test
    void readsPortFromArgumentThenEnvironmentThenDefault() throws Exception {
        Map<String, String> env =
                Map.of("PORT", "9001", "BIND_ADDRESS", "0.0.0.0", "CHUNK_DELAY_MS", "5", "BACKEND_TOKEN", " s3cret ");

        assertThat(SampleBackend.fromEnv(env, new String[] {"9002"}).port).isEqualTo(9002);
        SampleBackend.Builder fromEnv = SampleBackend.fromEnv(env, new String[0]);
        assertThat(fromEnv.port).isEqualTo(9001);
        assertThat(fromEnv.bindAddress).isEqualTo(InetAddress.getByName("0.0.0.0"));
        assertThat(fromEnv.chunkDelay).isEqualTo(Duration.ofMillis(5));
        assertThat(fromEnv.bearerToken).isEqualTo("s3cret");
        SampleBackend.Builder defaults = SampleBackend.fromEnv(Map.of(), new String[0]);
        assertThat(defaults.port).isEqualTo(SampleBackend.DEFAULT_PORT);
        assertThat(defaults.bindAddress.isLoopbackAddress()).isTrue();
        assertThat(defaults.chunkDelay).isEqualTo(SampleBackend.DEFAULT_CHUNK_DELAY);
        assertThatThrownBy(() -> SampleBackend.fromEnv(Map.of("PORT", "http"), new String[0]))
                .hasMessage("port must be a number, got \"http\"");
    }

    @Test
    void refusesBadOptionsNamingThem() {
        assertThatThrownBy(() -> SampleBackend.builder().failWith(102).start()).hasMessage("invalid failWith: 102");
        assertThatThrownBy(() -> SampleBackend.builder().cutAfter(-1).start()).hasMessage("invalid cutAfter: -1");
        assertThatThrownBy(() -> SampleBackend.builder().port(70000).start()).hasMessage("invalid port: 70000");
    }

    @Test
    void parsesEveryFieldOfTheContractsBody() {
        Question question = Question.parse(BODY.formatted(
                ",\"thread\":[{\"user\":\"U02\",\"text\":\"earlier\",\"ts\":\"1699999999.000200\",\"bot\":true}]"));

        assertThat(question)
                .isEqualTo(new Question(
                        "Ev01",
                        "A01",
                        "T01",
                        "C01",
                        "U01",
                        "1700000000.000100",
                        "deploy status?",
                        false,
                        java.util.List.of(new Question.ThreadMessage("U02", "earlier", "1699999999.000200", true))));
        assertThat(Question.parse(BODY.formatted("")).thread()).isEmpty();
    }

    @Test
    void namesTheFieldThatBreaksTheContract() {
        assertThatThrownBy(() -> Question.parse(BODY.formatted("").replace("\"text\":\"deploy status?\",", "")))
                .hasMessage("field \"text\" is missing from the body");
        assertThatThrownBy(() -> Question.parse(BODY.formatted("").replace("false", "\"no\"")))
                .hasMessage("field \"is_dm\" must be a boolean");
        assertThatThrownBy(() -> Question.parse(BODY.formatted("").replace("\"Ev01\"", "\"\"")))
                .hasMessage("field \"event_id\" of the body is empty");
        assertThatThrownBy(() -> Question.parse(BODY.formatted("").replace("\"C01\"", "42")))
                .hasMessage("field \"channel\" of the body must be a string");
        assertThatThrownBy(() -> Question.parse(BODY.formatted("").replace("1700000000.000100", "yesterday")))
                .hasMessage("field \"thread_ts\" of the body must be a Slack timestamp like \"1700000000.000100\","
                        + " got \"yesterday\"");
        assertThatThrownBy(() -> Question.parse(BODY.formatted(",\"thread\":[{\"user\":\"U02\"}]")))
                .hasMessage("field \"text\" is missing from thread[0]");
        assertThatThrownBy(() -> Question.parse("[1]")).hasMessage("the body must be a JSON object");
        assertThatThrownBy(() -> Question.parse("{\"event_id\":")).hasMessageStartingWith("the body is not JSON: ");
    }
}
