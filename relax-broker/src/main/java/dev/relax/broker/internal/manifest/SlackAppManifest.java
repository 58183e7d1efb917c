/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A Slack app manifest (https://docs.slack.dev/reference/app-manifest), as JSON to paste into "Create New
 * App → From an app manifest": the part of Slack's format Relax's apps use. Fields come out in one fixed
 * order (Slack's own: display information, features, OAuth, settings) and optional ones only when set,
 * so that the same choices always print the same bytes. The broker's {@code manifest} command and the
 * relay's both render through this class.
 *
 * <pre>{@code
 * String json = SlackAppManifest.builder("Relax", "What the app is for.")
 *         .botScopes(List.of("chat:write"))
 *         .botEvents(List.of("app_mention"))
 *         .build()
 *         .toJson();
 * }</pre>
 *
 * <p>Immutable once built; the builder is not thread-safe.
 */
public final class SlackAppManifest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two spaces, one array element a line, {@code "key": value}: as the manifests in Slack's docs look. */
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(
                    Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    /**
     * A slash command (https://docs.slack.dev/reference/app-manifest#slash_commands).
     *
     * @param command the command with its slash, such as {@code /deploy}
     * @param description what Slack shows beside it in the command menu
     * @param url where Slack posts it (Events API apps), or null in Socket Mode, where it comes over the socket
     */
    public record SlashCommand(String command, String description, String url) {
        public SlashCommand {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(description, "description");
        }
    }

    private final Builder b;

    private SlackAppManifest(Builder b) {
        this.b = b;
    }

    /**
     * A builder for an app named {@code name} (display information and bot user alike), described by
     * {@code description}: Socket Mode, no scopes, no events until set.
     */
    public static Builder builder(String name, String description) {
        return new Builder(name, description);
    }

    /** The manifest as 2-space indented JSON, ending with a newline. */
    public String toJson() {
        ObjectNode manifest = JSON.createObjectNode();
        ObjectNode display = manifest.putObject("display_information");
        display.put("name", b.name);
        display.put("description", b.description);
        ObjectNode features = manifest.putObject("features");
        ObjectNode home = features.putObject("app_home");
        // The Messages tab, writable: without it nobody can send the bot a direct message.
        home.put("home_tab_enabled", false);
        home.put("messages_tab_enabled", true);
        home.put("messages_tab_read_only_enabled", false);
        ObjectNode bot = features.putObject("bot_user");
        bot.put("display_name", b.botDisplayName);
        bot.put("always_online", true);
        if (!b.slashCommands.isEmpty()) {
            ArrayNode commands = features.putArray("slash_commands");
            for (SlashCommand c : b.slashCommands) {
                ObjectNode command = commands.addObject();
                command.put("command", c.command());
                if (c.url() != null) {
                    command.put("url", c.url());
                }
                command.put("description", c.description());
                command.put("should_escape", false);
            }
        }
        ObjectNode oauth = manifest.putObject("oauth_config");
        if (!b.redirectUrls.isEmpty()) {
            b.redirectUrls.forEach(oauth.putArray("redirect_urls")::add);
        }
        ObjectNode scopes = oauth.putObject("scopes");
        b.botScopes.forEach(scopes.putArray("bot")::add);
        if (!b.userScopes.isEmpty()) {
            b.userScopes.forEach(scopes.putArray("user")::add);
        }
        ObjectNode settings = manifest.putObject("settings");
        ObjectNode subscriptions = settings.putObject("event_subscriptions");
        if (b.eventsRequestUrl != null) {
            subscriptions.put("request_url", b.eventsRequestUrl);
        }
        b.botEvents.forEach(subscriptions.putArray("bot_events")::add);
        if (b.interactivity) {
            ObjectNode interactivity = settings.putObject("interactivity");
            interactivity.put("is_enabled", true);
            if (b.interactivityRequestUrl != null) {
                interactivity.put("request_url", b.interactivityRequestUrl);
            }
        }
        settings.put("org_deploy_enabled", false);
        settings.put("socket_mode_enabled", b.socketMode);
        settings.put("token_rotation_enabled", b.tokenRotation);
        try {
            return JSON.writer(PRINTER).writeValueAsString(manifest) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the manifest", e);
        }
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Collects a manifest's parts; {@link #build()} copies them. */
    public static final class Builder {
        private final String name;
        private final String description;
        private String botDisplayName;
        private List<String> botScopes = List.of();
        private List<String> userScopes = List.of();
        private List<String> botEvents = List.of();
        private List<String> redirectUrls = List.of();
        private List<SlashCommand> slashCommands = List.of();
        private boolean socketMode = true;
        private String eventsRequestUrl;
        private boolean interactivity;
        private String interactivityRequestUrl;
        private boolean tokenRotation;

        private Builder(String name, String description) {
            this.name = Objects.requireNonNull(name, "name");
            this.description = Objects.requireNonNull(description, "description");
            this.botDisplayName = name;
        }

        /** The bot user's display name; the app's name by default. */
        public Builder botDisplayName(String displayName) {
            this.botDisplayName = Objects.requireNonNull(displayName, "displayName");
            return this;
        }

        /** The bot token's scopes, in the order given. */
        public Builder botScopes(List<String> scopes) {
            this.botScopes = List.copyOf(scopes);
            return this;
        }

        /** The user token's scopes, in the order given; none (no {@code user} list) by default. */
        public Builder userScopes(List<String> scopes) {
            this.userScopes = List.copyOf(scopes);
            return this;
        }

        /** The bot events the app subscribes to, in the order given. */
        public Builder botEvents(List<String> events) {
            this.botEvents = List.copyOf(events);
            return this;
        }

        /** Where Slack may send users back after "Add to Slack" (the OAuth redirect URLs). */
        public Builder redirectUrls(List<String> urls) {
            this.redirectUrls = List.copyOf(urls);
            return this;
        }

        /** The app's slash commands, in the order given. */
        public Builder slashCommands(List<SlashCommand> commands) {
            this.slashCommands = List.copyOf(commands);
            return this;
        }

        /** Socket Mode (the default): events, commands and interactions come over the app's websockets. */
        public Builder socketMode() {
            this.socketMode = true;
            this.eventsRequestUrl = null;
            return this;
        }

        /** The Events API: Slack posts events to {@code requestUrl}; Socket Mode off. */
        public Builder eventsApi(String requestUrl) {
            this.socketMode = false;
            this.eventsRequestUrl = Objects.requireNonNull(requestUrl, "requestUrl");
            return this;
        }

        /**
         * Interactivity on (buttons, menus, modals, shortcuts), its payloads posted to {@code requestUrl}, or
         * over Socket Mode when null.
         */
        public Builder interactivity(String requestUrl) {
            this.interactivity = true;
            this.interactivityRequestUrl = requestUrl;
            return this;
        }

        /** Token rotation (https://docs.slack.dev/authentication/using-token-rotation); off by default. */
        public Builder tokenRotation(boolean enabled) {
            this.tokenRotation = enabled;
            return this;
        }

        public SlackAppManifest build() {
            Builder copy = new Builder(name, description);
            copy.botDisplayName = botDisplayName;
            copy.botScopes = botScopes;
            copy.userScopes = userScopes;
            copy.botEvents = botEvents;
            copy.redirectUrls = redirectUrls;
            copy.slashCommands = slashCommands;
            copy.socketMode = socketMode;
            copy.eventsRequestUrl = eventsRequestUrl;
            copy.interactivity = interactivity;
            copy.interactivityRequestUrl = interactivityRequestUrl;
            copy.tokenRotation = tokenRotation;
            return new SlackAppManifest(copy);
        }
    }
}
