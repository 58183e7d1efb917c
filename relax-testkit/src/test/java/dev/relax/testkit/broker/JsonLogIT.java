/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.testkit.Bot;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.Workspace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** {@code RELAX_LOG_FORMAT=json}: the jar's log as one JSON object per line, for log shippers. */
class JsonLogIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    /**
     * The jar's environment for JSON logs, with {@code ws}'s bot (token {@code token}) registered under keys
     * prefixed {@code prefix}, so that the broker connects it at start.
     */
    private static Map<String, String> jsonLogOfOneBot(
            SlackSimulator slack, EmbeddedRedis redis, Workspace ws, String token, String prefix) {
        Bot bot = ws.bot(token, "UBOT" + ws.id(), "relaxbot");
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix(prefix)
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .slackHost(slack.baseUrl())
                .build();
        redis.commands()
                .hset(
                        config.botsKey(),
                        ws.id(),
                        RelaxJson.encodeRegistration(
                                BotRegistration.of(ws.id(), bot.token().reveal())));
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put("RELAX_LOG_FORMAT", "json");
        env.put("RELAX_START_JITTER", "0");
        return env;
    }

    @Test
    void writesEachLogLineAsAJsonObjectWithTheTeamFromTheMdc(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        Workspace ws = slack.workspace("TJSON1");
        Map<String, String> env = jsonLogOfOneBot(slack, redis, ws, "xoxb-json-secret-token", "json");
        try (BrokerJar jar = BrokerJar.start(env, logs)) {
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);
            // The simulator counts the socket before the broker's hello handling logs "connected".
            await().atMost(WAIT).until(() -> jar.stdout().contains("\"team\":\"TJSON1\""));
            jar.stop();
            assertThat(jar.exitsWithin(WAIT)).isTrue();

            List<JsonNode> lines = new ArrayList<>();
            for (String line : jar.stdout().split("\n")) {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                assertThat(node.path("level").asText()).as(line).isIn("DEBUG", "INFO", "WARN", "ERROR");
                assertThat(node.path("loggerName").asText()).as(line).isNotEmpty();
                assertThat(node.path("message").asText()).as(line).isNotEmpty();
                assertThat(node.path("formattedMessage").asText()).as(line).isNotEmpty();
                lines.add(node);
            }
            assertThat(lines)
                    .extracting(n -> n.path("formattedMessage").asText())
                    .contains("traces off: OTEL_TRACES_EXPORTER=none (set otlp or console to export them)")
                    .contains("relax broker stopped");
            assertThat(lines)
                    .filteredOn(n -> n.path("mdc").path("team").asText().equals("TJSON1"))
                    .isNotEmpty();
            assertThat(jar.output()).doesNotContain("json-secret-token");
        }
    }

    @Test
    void theConsoleExportersSpansAreJsonLinesOfTheSameLog(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        Workspace ws = slack.workspace("TJSON2");
        Map<String, String> env = jsonLogOfOneBot(slack, redis, ws, "xoxb-json2-secret-token", "json2");
        env.put("OTEL_TRACES_EXPORTER", "console");
        try (BrokerJar jar = BrokerJar.start(env, logs)) {
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);
            jar.stop();
            assertThat(jar.exitsWithin(WAIT)).isTrue();

            List<JsonNode> spans = new ArrayList<>();
            for (String line : jar.stdout().split("\n")) {
                JsonNode node = JSON.readTree(line);
                if (node.path("loggerName").asText().equals("io.opentelemetry.exporter.logging.LoggingSpanExporter")) {
                    spans.add(node);
                }
            }
            // java.util.logging goes through logback: the span is a JSON line of stdout, not JUL text on stderr.
            assertThat(spans)
                    .extracting(n -> n.path("formattedMessage").asText())
                    .anyMatch(m -> m.startsWith("'rtm.connect' : "));
            assertThat(jar.stderr()).doesNotContain("LoggingSpanExporter");
        }
    }

    @Test
    void refusesAnUnknownFormat() throws Exception {
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix("badformat")
                .redis(RedisAddress.of("127.0.0.1", 6379)) // never reached
                .build();
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put("RELAX_LOG_FORMAT", "logfmt");
        try (BrokerJar jar = BrokerJar.start(env, logs)) {
            assertThat(jar.exitsWithin(WAIT)).isTrue();
            assertThat(jar.exitValue()).isEqualTo(1);
            assertThat(jar.stderr()).contains("relax: RELAX_LOG_FORMAT must be text or json, was 'logfmt'\n");
        }
    }
}
