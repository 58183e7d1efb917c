/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The Slack app manifest (https://api.slack.com/reference/manifests) of an app the relay can answer for,
 * printed by {@code java -jar relax-relay.jar manifest}: pasted into "Create New App → From an app
 * manifest", it asks for exactly the scopes and events the relay uses, so creating the app is one paste.
 * Socket Mode by default (what the quick start needs); {@code --request-url} gives the Events API variant
 * for brokers that take Slack's requests over HTTP.
 */
final class Manifest {
    static final String USAGE = "usage: java -jar relax-relay.jar manifest [--request-url https://host/slack/events]";

    /**
     * What the relay does with each scope: reads mentions (app_mentions:read) and the messages of the
     * conversations it is in (the four *:history, also for thread follow-ups and thread context), answers
     * and shows a status while the backend thinks (chat:write: assistant.threads.setStatus takes it since
     * https://docs.slack.dev/changelog/2026/03/05/set-status-scope-update, and will stop taking
     * assistant:write), knows its DMs (im:read), and,
     * in the quick start without {@code SLACK_APP_ID}, finds its app id with bots.info (users:read).
     */
    static final List<String> BOT_SCOPES = List.of(
            "app_mentions:read",
            "chat:write",
            "im:history",
            "im:read",
            "channels:history",
            "groups:history",
            "mpim:history",
            "users:read");

    static final List<String> BOT_EVENTS =
            List.of("app_mention", "message.im", "message.channels", "message.groups", "message.mpim");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two spaces, one array element a line, {@code "key": value}: as the manifests in Slack's docs look. */
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(
                    Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private Manifest() {}

    /**
     * The manifest for the arguments after {@code manifest}: none (Socket Mode) or {@code --request-url
     * <https URL>} (Events API).
     *
     * @throws IllegalArgumentException for other arguments, or a request URL Slack would not accept
     */
    static String forArguments(List<String> args) {
        if (args.isEmpty()) {
            return socketMode();
        }
        if (args.size() == 2 && args.get(0).equals("--request-url")) {
            return eventsApi(requestUrl(args.get(1)));
        }
        throw new IllegalArgumentException("unexpected arguments " + args + "; " + USAGE);
    }

    /** The Socket Mode manifest: events come over the app's websocket, no public URL needed. */
    static String socketMode() {
        return render(null);
    }

    /** The Events API manifest: Slack POSTs events to {@code requestUrl} (a broker's {@code /slack/events}). */
    static String eventsApi(URI requestUrl) {
        return render(requestUrl);
    }

    private static URI requestUrl(String value) {
        try {
            URI url = new URI(value);
            // Slack only sends events to https URLs.
            if ("https".equals(url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT))
                    && url.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("--request-url must be an absolute https URL, was '" + value + "'");
    }

    private static String render(URI requestUrl) {
        ObjectNode manifest = JSON.createObjectNode();
        ObjectNode display = manifest.putObject("display_information");
        display.put("name", "Relay");
        display.put("description", "Answers mentions and direct messages with your backend's answers.");
        ObjectNode features = manifest.putObject("features");
        ObjectNode home = features.putObject("app_home");
        // The Messages tab, writable: without it nobody can send the bot a direct message.
        home.put("home_tab_enabled", false);
        home.put("messages_tab_enabled", true);
        home.put("messages_tab_read_only_enabled", false);
        ObjectNode bot = features.putObject("bot_user");
        bot.put("display_name", "relay");
        bot.put("always_online", true);
        ArrayNode scopes =
                manifest.putObject("oauth_config").putObject("scopes").putArray("bot");
        BOT_SCOPES.forEach(scopes::add);
        ObjectNode settings = manifest.putObject("settings");
        ObjectNode subscriptions = settings.putObject("event_subscriptions");
        if (requestUrl != null) {
            subscriptions.put("request_url", requestUrl.toString());
        }
        ArrayNode events = subscriptions.putArray("bot_events");
        BOT_EVENTS.forEach(events::add);
        settings.put("org_deploy_enabled", false);
        settings.put("socket_mode_enabled", requestUrl == null);
        settings.put("token_rotation_enabled", false);
        try {
            return JSON.writer(PRINTER).writeValueAsString(manifest) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the manifest", e);
        }
    }
}
