/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar relax-broker.jar manifest ...} as an operator runs it: the built jar in a process of its
 * own, with no environment (the command needs neither Redis nor any variable), its stdout parsed as JSON.
 */
class ManifestJarIT {
    /** Built by the package phase, before failsafe runs; the working directory is the module's. */
    private static final Path JAR = Path.of("target", "relax-broker.jar");

    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    @Test
    void printsTheEventsApiManifestForTheFeaturesChosen() throws Exception {
        Run run = run(
                "manifest",
                "--name",
                "Acme",
                "--request-url",
                "https://relax.example.com",
                "--command",
                "/deploy=Deploys a build",
                "--interactivity",
                "--oauth-redirect-url",
                "https://relax.example.com/slack/oauth_redirect");

        assertThat(run.code()).as(run.stderr()).isZero();
        assertThat(run.stderr()).isEmpty();
        JsonNode manifest = new ObjectMapper().readTree(run.stdout());
        assertThat(manifest.at("/display_information/name").asText()).isEqualTo("Acme");
        assertThat(manifest.at("/settings/socket_mode_enabled").asBoolean(true)).isFalse();
        assertThat(manifest.at("/settings/event_subscriptions/request_url").asText())
                .isEqualTo("https://relax.example.com/slack/events");
        assertThat(manifest.at("/features/slash_commands").toString())
                .isEqualTo("[{\"command\":\"/deploy\",\"url\":\"https://relax.example.com/slack/commands\","
                        + "\"description\":\"Deploys a build\",\"should_escape\":false}]");
        assertThat(manifest.at("/settings/interactivity").toString())
                .isEqualTo("{\"is_enabled\":true,\"request_url\":\"https://relax.example.com/slack/interactive\"}");
        assertThat(manifest.at("/oauth_config/redirect_urls").toString())
                .isEqualTo("[\"https://relax.example.com/slack/oauth_redirect\"]");
        assertThat(strings(manifest.at("/oauth_config/scopes/bot")))
                .containsExactly(
                        "app_mentions:read",
                        "channels:history",
                        "channels:read",
                        "chat:write",
                        "commands",
                        "groups:history",
                        "groups:read",
                        "im:history",
                        "im:read",
                        "mpim:history",
                        "reactions:read",
                        "users:read");
        assertThat(strings(manifest.at("/settings/event_subscriptions/bot_events")))
                .contains("app_mention", "message.im", "app_uninstalled", "tokens_revoked");
    }

    @Test
    void aBadArgumentExitsWith2AndSaysWhatIsWrongAndHowToCall() throws Exception {
        Run run = run("manifest", "--request-url", "http://relax.example.com");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().lines().toList())
                .containsExactly(
                        "relax: --request-url must be an absolute https URL without query or fragment, was"
                                + " 'http://relax.example.com'",
                        "usage: java -jar relax-broker.jar manifest [--name NAME] [--socket-mode | --request-url"
                                + " https://host] [--command /name[=description]]... [--interactivity]"
                                + " [--oauth-redirect-url https://host/slack/oauth_redirect] [--user-scope SCOPE]..."
                                + " [--bot-scope SCOPE]... [--token-rotation]");
    }

    private record Run(int code, String stdout, String stderr) {}

    private Run run(String... args) throws IOException, InterruptedException {
        assertThat(JAR)
                .as("the broker jar; build it with: ./build.sh mvn -pl relax-broker package")
                .exists();
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process process = pb.start();
        try {
            assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS))
                    .as("the manifest command ended")
                    .isTrue();
        } finally {
            process.destroyForcibly();
        }
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
