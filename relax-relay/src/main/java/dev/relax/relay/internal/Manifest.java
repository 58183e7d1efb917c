/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import dev.relax.broker.internal.manifest.SlackAppManifest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The Slack app manifest (https://api.slack.com/reference/manifests) of an app the relay can answer for,
 * printed by {@code java -jar relax-relay.jar manifest}: pasted into "Create New App → From an app
 * manifest", it asks for exactly the scopes and events the relay uses, so creating the app is one paste.
 * Socket Mode by default (what the quick start needs); {@code --request-url} gives the Events API variant
 * for brokers that take Slack's requests over HTTP. Rendered by the broker's {@link SlackAppManifest}, as
 * {@code java -jar relax-broker.jar manifest} is.
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
        SlackAppManifest.Builder manifest = SlackAppManifest.builder(
                        "Relay", "Answers mentions and direct messages with your backend's answers.")
                .botDisplayName("relay")
                .botScopes(BOT_SCOPES)
                .botEvents(BOT_EVENTS);
        if (requestUrl != null) {
            manifest.eventsApi(requestUrl.toString());
        }
        return manifest.build().toJson();
    }
}
