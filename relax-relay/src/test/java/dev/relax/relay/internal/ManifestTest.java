/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
    @Test
    void socketModeManifestHasTheRelaysScopesAndEvents() {
        assertThat(Manifest.forArguments(List.of()))
                .isEqualTo(
                        """
                {
                  "display_information": {
                    "name": "Relay",
                    "description": "Answers mentions and direct messages with your backend's answers."
                  },
                  "features": {
                    "app_home": {
                      "home_tab_enabled": false,
                      "messages_tab_enabled": true,
                      "messages_tab_read_only_enabled": false
                    },
                    "bot_user": {
                      "display_name": "relay",
                      "always_online": true
                    }
                  },
                  "oauth_config": {
                    "scopes": {
                      "bot": [
                        "app_mentions:read",
                        "chat:write",
                        "im:history",
                        "im:read",
                        "channels:history",
                        "groups:history",
                        "mpim:history",
                        "users:read"
                      ]
                    }
                  },
                  "settings": {
                    "event_subscriptions": {
                      "bot_events": [
                        "app_mention",
                        "message.im",
                        "message.channels",
                        "message.groups",
                        "message.mpim"
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
    void requestUrlGivesTheEventsApiManifest() {
        assertThat(Manifest.forArguments(List.of("--request-url", "https://relay.example.com/slack/events")))
                .isEqualTo(
                        """
                        {
                          "display_information": {
                            "name": "Relay",
                            "description": "Answers mentions and direct messages with your backend's answers."
                          },
                          "features": {
                            "app_home": {
                              "home_tab_enabled": false,
                              "messages_tab_enabled": true,
                              "messages_tab_read_only_enabled": false
                            },
                            "bot_user": {
                              "display_name": "relay",
                              "always_online": true
                            }
                          },
                          "oauth_config": {
                            "scopes": {
                              "bot": [
                                "app_mentions:read",
                                "chat:write",
                                "im:history",
                                "im:read",
                                "channels:history",
                                "groups:history",
                                "mpim:history",
                                "users:read"
                              ]
                            }
                          },
                          "settings": {
                            "event_subscriptions": {
                              "request_url": "https://relay.example.com/slack/events",
                              "bot_events": [
                                "app_mention",
                                "message.im",
                                "message.channels",
                                "message.groups",
                                "message.mpim"
                              ]
                            },
                            "org_deploy_enabled": false,
                            "socket_mode_enabled": false,
                            "token_rotation_enabled": false
                          }
                        }
                        """);
    }

    @Test
    void refusesOtherArgumentsAndPlainHttpRequestUrls() {
        assertThatThrownBy(() -> Manifest.forArguments(List.of("--request-url", "http://relay.example.com/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--request-url must be an absolute https URL, was 'http://relay.example.com/'");
        assertThatThrownBy(() -> Manifest.forArguments(List.of("--socket")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected arguments [--socket]; usage: java -jar relax-relay.jar manifest"
                        + " [--request-url https://host/slack/events]");
    }
}
