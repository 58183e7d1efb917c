/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void withoutArgumentsTheAppUsesSocketModeWithTheEventsRelaxTranslatesAndTheirScopes() {
        assertThat(json())
                .isEqualTo(
                        """
                {
                  "display_information": {
                    "name": "Relax",
                    "description": "Slack events for your apps, through a Relax broker."
                  },
                  "features": {
                    "app_home": {
                      "home_tab_enabled": false,
                      "messages_tab_enabled": true,
                      "messages_tab_read_only_enabled": false
                    },
                    "bot_user": {
                      "display_name": "Relax",
                      "always_online": true
                    }
                  },
                  "oauth_config": {
                    "scopes": {
                      "bot": [
                        "app_mentions:read",
                        "channels:history",
                        "channels:read",
                        "chat:write",
                        "groups:history",
                        "groups:read",
                        "im:history",
                        "im:read",
                        "mpim:history",
                        "reactions:read",
                        "users:read"
                      ]
                    }
                  },
                  "settings": {
                    "event_subscriptions": {
                      "bot_events": [
                        "app_mention",
                        "app_uninstalled",
                        "im_created",
                        "member_joined_channel",
                        "message.channels",
                        "message.groups",
                        "message.im",
                        "message.mpim",
                        "reaction_added",
                        "reaction_removed",
                        "team_join",
                        "tokens_revoked"
                      ]
                    },
                    "org_deploy_enabled": false,
                    "socket_mode_enabled": true,
                    "token_rotation_enabled": false
                  }
                }
                """);
    }

    @Test
    void requestUrlPointsEventsCommandsAndInteractionsAtTheBrokersPaths() {
        assertThat(json(
                        "--name",
                        "Acme Bot",
                        "--request-url",
                        "https://relax.example.com/",
                        "--command",
                        "/deploy=Deploys a build",
                        "--command",
                        "/status",
                        "--interactivity",
                        "--oauth-redirect-url",
                        "https://relax.example.com/slack/oauth_redirect",
                        "--user-scope",
                        "search:read",
                        "--bot-scope",
                        "files:write",
                        "--bot-scope",
                        "chat:write",
                        "--token-rotation"))
                .isEqualTo(
                        """
                {
                  "display_information": {
                    "name": "Acme Bot",
                    "description": "Slack events for your apps, through a Relax broker."
                  },
                  "features": {
                    "app_home": {
                      "home_tab_enabled": false,
                      "messages_tab_enabled": true,
                      "messages_tab_read_only_enabled": false
                    },
                    "bot_user": {
                      "display_name": "Acme Bot",
                      "always_online": true
                    },
                    "slash_commands": [
                      {
                        "command": "/deploy",
                        "url": "https://relax.example.com/slack/commands",
                        "description": "Deploys a build",
                        "should_escape": false
                      },
                      {
                        "command": "/status",
                        "url": "https://relax.example.com/slack/commands",
                        "description": "Handled by Acme Bot",
                        "should_escape": false
                      }
                    ]
                  },
                  "oauth_config": {
                    "redirect_urls": [
                      "https://relax.example.com/slack/oauth_redirect"
                    ],
                    "scopes": {
                      "bot": [
                        "app_mentions:read",
                        "channels:history",
                        "channels:read",
                        "chat:write",
                        "commands",
                        "files:write",
                        "groups:history",
                        "groups:read",
                        "im:history",
                        "im:read",
                        "mpim:history",
                        "reactions:read",
                        "users:read"
                      ],
                      "user": [
                        "search:read"
                      ]
                    }
                  },
                  "settings": {
                    "event_subscriptions": {
                      "request_url": "https://relax.example.com/slack/events",
                      "bot_events": [
                        "app_mention",
                        "app_uninstalled",
                        "im_created",
                        "member_joined_channel",
                        "message.channels",
                        "message.groups",
                        "message.im",
                        "message.mpim",
                        "reaction_added",
                        "reaction_removed",
                        "team_join",
                        "tokens_revoked"
                      ]
                    },
                    "interactivity": {
                      "is_enabled": true,
                      "request_url": "https://relax.example.com/slack/interactive"
                    },
                    "org_deploy_enabled": false,
                    "socket_mode_enabled": false,
                    "token_rotation_enabled": true
                  }
                }
                """);
    }

    @Test
    void inSocketModeCommandsAndInteractivityHaveNoUrl() {
        assertThat(json("--socket-mode", "--command", "/ask", "--interactivity"))
                .isEqualTo(
                        """
                {
                  "display_information": {
                    "name": "Relax",
                    "description": "Slack events for your apps, through a Relax broker."
                  },
                  "features": {
                    "app_home": {
                      "home_tab_enabled": false,
                      "messages_tab_enabled": true,
                      "messages_tab_read_only_enabled": false
                    },
                    "bot_user": {
                      "display_name": "Relax",
                      "always_online": true
                    },
                    "slash_commands": [
                      {
                        "command": "/ask",
                        "description": "Handled by Relax",
                        "should_escape": false
                      }
                    ]
                  },
                  "oauth_config": {
                    "scopes": {
                      "bot": [
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
                        "users:read"
                      ]
                    }
                  },
                  "settings": {
                    "event_subscriptions": {
                      "bot_events": [
                        "app_mention",
                        "app_uninstalled",
                        "im_created",
                        "member_joined_channel",
                        "message.channels",
                        "message.groups",
                        "message.im",
                        "message.mpim",
                        "reaction_added",
                        "reaction_removed",
                        "team_join",
                        "tokens_revoked"
                      ]
                    },
                    "interactivity": {
                      "is_enabled": true
                    },
                    "org_deploy_enabled": false,
                    "socket_mode_enabled": true,
                    "token_rotation_enabled": false
                  }
                }
                """);
    }

    @Test
    void requestUrlKeepsThePathPrefixOfAProxy() throws Exception {
        JsonNode manifest = JSON.readTree(
                json("--request-url", "https://example.com/relax/", "--command", "/ask", "--interactivity"));

        assertThat(manifest.at("/settings/event_subscriptions/request_url").asText())
                .isEqualTo("https://example.com/relax/slack/events");
        assertThat(manifest.at("/features/slash_commands/0/url").asText())
                .isEqualTo("https://example.com/relax/slack/commands");
        assertThat(manifest.at("/settings/interactivity/request_url").asText())
                .isEqualTo("https://example.com/relax/slack/interactive");
    }

    @Test
    void theSameScopeTwiceIsAskedOnce() throws Exception {
        JsonNode manifest = JSON.readTree(json("--user-scope", "search:read", "--user-scope", "search:read"));

        assertThat(manifest.at("/oauth_config/scopes/user").toString()).isEqualTo("[\"search:read\"]");
    }

    @Test
    void badArgumentsAreNamed() {
        assertRefused(List.of("--nme", "x"), "unknown argument '--nme'");
        assertRefused(List.of("--name"), "--name needs a value");
        assertRefused(List.of("--name", "--socket-mode"), "--name needs a value");
        assertRefused(List.of("--name", " "), "--name must be 1 to 35 characters, was ' '");
        assertRefused(
                List.of("--socket-mode", "--request-url", "https://a.example"),
                "--socket-mode and --request-url exclude each other");
        assertRefused(
                List.of("--request-url", "http://a.example"),
                "--request-url must be an absolute https URL without query or fragment, was 'http://a.example'");
        assertRefused(
                List.of("--request-url", "https://a.example/slack/events"),
                "--request-url is the broker's base URL (such as https://a.example), without /slack/events, was"
                        + " 'https://a.example/slack/events'");
        assertRefused(
                List.of("--request-url", "https://a.example", "--request-url", "https://b.example"),
                "--request-url is given twice");
        assertRefused(
                List.of("--command", "/Deploy"),
                "--command must be a slash and up to 31 lower-case letters, digits, '-' or '_' (then =description"
                        + " if you like), was '/Deploy'");
        assertRefused(List.of("--command", "/a="), "--command /a has an empty description");
        assertRefused(List.of("--command", "/a", "--command", "/a=again"), "--command /a is given twice");
        assertRefused(List.of("--interactivity", "--interactivity"), "--interactivity is given twice");
        assertRefused(
                List.of("--bot-scope", "Chat:Write"),
                "--bot-scope must be a Slack scope such as chat:write, was 'Chat:Write'");
        assertRefused(
                List.of("--oauth-redirect-url", "https://a.example/back?x=1"),
                "--oauth-redirect-url must be an absolute https URL without query or fragment, was"
                        + " 'https://a.example/back?x=1'");
    }

    @Test
    void runPrintsTheManifestOnStdoutAndReturns0() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = ManifestCommand.run(List.of(), print(out), print(err));

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(json());
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void runReportsBadArgumentsAndTheUsageOnStderrAndReturns2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = ManifestCommand.run(List.of("--socket"), print(out), print(err));

        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("relax: unknown argument '--socket'\n"
                        + "usage: java -jar relax-broker.jar manifest [--name NAME] [--socket-mode | --request-url"
                        + " https://host] [--command /name[=description]]... [--interactivity] [--oauth-redirect-url"
                        + " https://host/slack/oauth_redirect] [--user-scope SCOPE]... [--bot-scope SCOPE]..."
                        + " [--token-rotation]\n");
    }

    @Test
    void theExampleInTheDocsIsWhatTheCommandPrints() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "slack-apps.md"), StandardCharsets.UTF_8);
        String command = "--command \"/deploy=Deploys a build\" --interactivity\n";
        int start = docs.indexOf(command);
        assertThat(start).as("the example command in docs/slack-apps.md").isPositive();
        String example = docs.substring(start + command.length(), docs.indexOf("```", start));

        assertThat(example)
                .isEqualTo(json(
                        "--name",
                        "Acme",
                        "--request-url",
                        "https://relax.example.com",
                        "--command",
                        "/deploy=Deploys a build",
                        "--interactivity"));
    }

    private static String json(String... args) {
        return ManifestCommand.forArguments(List.of(args)).toJson();
    }

    private static void assertRefused(List<String> args, String message) {
        assertThatThrownBy(() -> ManifestCommand.forArguments(args))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
