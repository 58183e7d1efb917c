/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relax.relay.internal.RelayEnvironment.Fleet;
import dev.relax.relay.internal.RelayEnvironment.QuickStart;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayEnvironmentTest {
    private static final String URL = "http://127.0.0.1:8088/ask";

    private static RelayEnvironment read(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("BACKEND_URL", URL);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return RelayEnvironment.fromEnv(env);
    }

    private static RelaySettings settings(String... pairs) {
        return read(pairs).settings();
    }

    private static void refused(String expectedMessage, String... pairs) {
        assertThatThrownBy(() -> read(pairs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(expectedMessage);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RelayEnvironment env = read();
        RelaySettings s = env.settings();

        assertThat(env.mode()).isEqualTo(new Fleet());
        assertThat(s.backend()).isEqualTo(BackendSettings.defaults(URI.create(URL)));
        assertThat(s.answers()).isEqualTo(AnswerSettings.defaults());
        assertThat(s.concurrency()).isEqualTo(16);
        assertThat(s.followThreads()).isTrue();
        assertThat(s.threadContext()).isFalse();
        assertThat(s.answers().allowBroadcasts()).isFalse();
        assertThat(s.status()).isEqualTo("is thinking…");
        assertThat(s.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.stopTimeout()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void readsTheBackendVariables() {
        BackendSettings b = settings(
                        "BACKEND_TOKEN", "tok-123",
                        "BACKEND_CONNECT_TIMEOUT", "500ms",
                        "BACKEND_FIRST_BYTE_TIMEOUT", "45s",
                        "BACKEND_IDLE_TIMEOUT", "PT1M30S",
                        "BACKEND_TOTAL_TIMEOUT", "10m",
                        "BACKEND_MAX_ATTEMPTS", "5")
                .backend();

        assertThat(b.url()).isEqualTo(URI.create(URL));
        assertThat(b.bearerToken()).isEqualTo("tok-123");
        assertThat(b.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(b.firstByteTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(b.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(b.totalTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(b.maxAttempts()).isEqualTo(5);
    }

    @Test
    void readsTheRelayVariables() {
        RelaySettings s = settings(
                "RELAY_CONCURRENCY", "4",
                "RELAY_FOLLOW_THREADS", "false",
                "RELAY_THREAD_CONTEXT", "TRUE",
                "RELAY_ALLOW_BROADCASTS", "yes",
                "RELAY_STATUS", " is looking it up… ",
                "RELAY_LEASE", "2m",
                "RELAY_FLUSH_CHARS", "200",
                "RELAY_FLUSH_INTERVAL", "250ms",
                "RELAY_STOP_TIMEOUT", "25s");

        assertThat(s.concurrency()).isEqualTo(4);
        assertThat(s.followThreads()).isFalse();
        assertThat(s.threadContext()).isTrue();
        assertThat(s.answers().allowBroadcasts()).isTrue();
        assertThat(s.status()).isEqualTo("is looking it up…");
        assertThat(s.lease()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.answers().flushChars()).isEqualTo(200);
        assertThat(s.answers().flushInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.stopTimeout()).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void anEmptyStatusMeansNoneAndBlankVariablesMeanUnset() {
        RelaySettings s = settings("RELAY_STATUS", "", "RELAY_CONCURRENCY", "  ", "BACKEND_TOKEN", "");

        assertThat(s.status()).isEmpty();
        assertThat(s.concurrency()).isEqualTo(16);
        assertThat(s.backend().bearerToken()).isNull();
    }

    @Test
    void durationsTakePlainAndIsoForms() {
        assertThat(settings("RELAY_LEASE", "1h").lease()).isEqualTo(Duration.ofHours(1));
        assertThat(settings("RELAY_LEASE", "90 s").lease()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings("RELAY_LEASE", "pt45s").lease()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings("RELAY_LEASE", "1500ms").lease()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void bothSlackTokensMeanTheQuickStart() {
        RelayEnvironment env = read("SLACK_APP_TOKEN", "xapp-1-A1-abc", "SLACK_BOT_TOKEN", "xoxb-1-def");

        QuickStart quick = (QuickStart) env.mode();
        assertThat(quick.appToken().reveal()).isEqualTo("xapp-1-A1-abc");
        assertThat(quick.botToken().reveal()).isEqualTo("xoxb-1-def");
        assertThat(quick.appId()).isEmpty();
        assertThat(quick.toString()).doesNotContain("abc").doesNotContain("def");
        assertThat(((QuickStart) read(
                                        "SLACK_APP_TOKEN",
                                        "xapp-1",
                                        "SLACK_BOT_TOKEN",
                                        "xoxb-1",
                                        "SLACK_APP_ID",
                                        "A0123ABCD")
                                .mode())
                        .appId())
                .isEqualTo("A0123ABCD");
    }

    @Test
    void everyVariableIsInTheConfigurationTableOfTheDocs() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "relay.md"), StandardCharsets.UTF_8);
        List<String> variables = new ArrayList<>();
        for (Field field : RelayEnvironment.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                variables.add((String) field.get(null));
            }
        }

        assertThat(variables).hasSize(19).allSatisfy(name -> assertThat(docs).contains("| `" + name + "` |"));
    }

    @Test
    void refusesAMissingOrBadBackendUrl() {
        assertThatThrownBy(() -> RelayEnvironment.fromEnv(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BACKEND_URL is not set: the http(s) URL the relay POSTs questions to (docs/relay.md)");
        refused("BACKEND_URL must be an absolute http(s) URL, was 'ftp://host/x'", "BACKEND_URL", "ftp://host/x");
        refused("BACKEND_URL must be an absolute http(s) URL, was 'backend:8088'", "BACKEND_URL", "backend:8088");
        refused(
                "BACKEND_URL must be an absolute http(s) URL, was 'htp://****@host/ x'",
                "BACKEND_URL",
                "htp://user:hunter2@host/ x");
        refused(
                "BACKEND_URL must be an absolute http(s) URL, was 'htp://host/ask?****'",
                "BACKEND_URL",
                "htp://host/ask?api_key=hunter2");
    }

    @Test
    void refusesABadTokenWithoutShowingIt() {
        assertThatThrownBy(() -> read("BACKEND_TOKEN", "abc def-s3cret"))
                .hasMessage("BACKEND_TOKEN must be visible ASCII without spaces or line breaks; its value is not shown")
                .message()
                .doesNotContain("s3cret");
    }

    @Test
    void refusesBadDurationsNamingTheVariable() {
        for (String name : new String[] {
            "BACKEND_CONNECT_TIMEOUT",
            "BACKEND_FIRST_BYTE_TIMEOUT",
            "BACKEND_IDLE_TIMEOUT",
            "BACKEND_TOTAL_TIMEOUT",
            "RELAY_FLUSH_INTERVAL",
            "RELAY_LEASE"
        }) {
            refused(name + " must be a positive duration such as 30s, 500ms, 5m or PT30S, was '30'", name, "30");
            refused(name + " must be a positive duration such as 30s, 500ms, 5m or PT30S, was '0s'", name, "0s");
            refused(name + " must be a positive duration such as 30s, 500ms, 5m or PT30S, was 'PT-5S'", name, "PT-5S");
            refused(name + " must be a positive duration such as 30s, 500ms, 5m or PT30S, was '1d'", name, "1d");
        }
        refused("RELAY_LEASE must be at least 1s, was '999ms'", "RELAY_LEASE", "999ms");
    }

    @Test
    void refusesNumbersOutOfRange() {
        refused("BACKEND_MAX_ATTEMPTS must be a whole number in 1..100, was '0'", "BACKEND_MAX_ATTEMPTS", "0");
        refused("BACKEND_MAX_ATTEMPTS must be a whole number in 1..100, was 'three'", "BACKEND_MAX_ATTEMPTS", "three");
        refused("RELAY_CONCURRENCY must be a whole number in 1..10000, was '10001'", "RELAY_CONCURRENCY", "10001");
        refused("RELAY_CONCURRENCY must be a whole number in 1..10000, was '2.5'", "RELAY_CONCURRENCY", "2.5");
        refused("RELAY_FLUSH_CHARS must be a whole number in 1..12000, was '12001'", "RELAY_FLUSH_CHARS", "12001");
    }

    @Test
    void refusesBooleansThatAreNot() {
        for (String name : new String[] {"RELAY_FOLLOW_THREADS", "RELAY_THREAD_CONTEXT", "RELAY_ALLOW_BROADCASTS"}) {
            refused(name + " must be true or false, was 'maybe'", name, "maybe");
        }
    }

    @Test
    void refusesHalfAQuickStartWithoutShowingTokens() {
        refused(
                "SLACK_BOT_TOKEN is not set: the quick start needs both SLACK_APP_TOKEN and SLACK_BOT_TOKEN"
                        + " (fleet mode needs neither)",
                "SLACK_APP_TOKEN",
                "xapp-1-secret");
        refused(
                "SLACK_APP_TOKEN is not set: the quick start needs both SLACK_APP_TOKEN and SLACK_BOT_TOKEN"
                        + " (fleet mode needs neither)",
                "SLACK_BOT_TOKEN",
                "xoxb-1-secret");
        refused(
                "SLACK_APP_TOKEN must be an app-level token (xapp-…); its value is not shown",
                "SLACK_APP_TOKEN",
                "xoxb-swapped-secret",
                "SLACK_BOT_TOKEN",
                "xapp-swapped-secret");
        refused(
                "SLACK_BOT_TOKEN must be a bot token (xoxb-…); its value is not shown",
                "SLACK_APP_TOKEN",
                "xapp-1-secret",
                "SLACK_BOT_TOKEN",
                "xoxp-user-secret");
        refused(
                "SLACK_APP_ID must be a Slack app id such as A0123ABCD, was 'myapp'",
                "SLACK_APP_TOKEN",
                "xapp-1-secret",
                "SLACK_BOT_TOKEN",
                "xoxb-1-secret",
                "SLACK_APP_ID",
                "myapp");
        refused(
                "SLACK_APP_ID is set but SLACK_APP_TOKEN and SLACK_BOT_TOKEN are not: it is only used by the quick"
                        + " start",
                "SLACK_APP_ID",
                "A0123ABCD");
    }
}
