/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.manifest;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code java -jar relax-broker.jar manifest ...}: prints the Slack app manifest of an app whose events
 * the broker is to carry, with the bot scopes and event subscriptions Relax needs for the features chosen,
 * so that creating the app is one paste into "Create New App → From an app manifest".
 *
 * <p>Every app gets the events {@link dev.relax.broker.internal.apps.AppEventTranslator} turns into Relax
 * events ({@link #BOT_EVENTS}), each with the scope Slack requires for it, plus {@code chat:write} for
 * what apps send through the calls stream ({@link #BOT_SCOPES}). Slash commands add {@code commands}.
 * With {@code --request-url} (the broker's public base URL) Slack posts to the paths the broker serves:
 * {@code /slack/events}, {@code /slack/commands} and {@code /slack/interactive}; without it, Socket Mode.
 * Scopes and events are sorted, so the same arguments always print the same manifest.
 */
public final class ManifestCommand {
    /** The exit code of bad arguments; one line on stderr says which, the next how to call. */
    public static final int USAGE_ERROR = 2;

    public static final String USAGE = "usage: java -jar relax-broker.jar manifest [--name NAME]"
            + " [--socket-mode | --request-url https://host] [--command /name[=description]]..."
            + " [--interactivity] [--oauth-redirect-url https://host/slack/oauth_redirect]"
            + " [--user-scope SCOPE]... [--bot-scope SCOPE]... [--token-rotation]";

    /**
     * The events of {@code AppEventTranslator}, each needing membership of the conversation and the scope
     * its page on https://docs.slack.dev/reference/events/ names: {@code message.channels} ({@code
     * channels:history}), {@code message.groups} ({@code groups:history}), {@code message.im} ({@code
     * im:history}), {@code message.mpim} ({@code mpim:history}), {@code app_mention} ({@code
     * app_mentions:read}), {@code reaction_added} and {@code reaction_removed} ({@code reactions:read}),
     * {@code team_join} ({@code users:read}), {@code im_created} ({@code im:read}), {@code
     * member_joined_channel} ({@code channels:read} for public channels, {@code groups:read} for private
     * ones; the bot's own join is {@code channel_joined}); {@code app_uninstalled} and {@code
     * tokens_revoked} need no scope and become {@code disable_bot}.
     */
    public static final List<String> BOT_EVENTS = List.of(
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
            "tokens_revoked");

    /**
     * The scopes of {@link #BOT_EVENTS}, and {@code chat:write} for the messages apps post and update
     * through Relax ({@code chat.postMessage}, {@code chat.update}) and for {@code
     * assistant.threads.setStatus}, which takes it since
     * https://docs.slack.dev/changelog/2026/03/05/set-status-scope-update.
     */
    public static final List<String> BOT_SCOPES = List.of(
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
            "users:read");

    /** What slash commands need besides (https://docs.slack.dev/reference/scopes/commands). */
    static final String COMMANDS_SCOPE = "commands";

    static final String DEFAULT_NAME = "Relax";
    static final String DESCRIPTION = "Slack events for your apps, through a Relax broker.";
    /** Slack's limit on an app's name (https://docs.slack.dev/reference/app-manifest#display). */
    static final int MAX_NAME = 35;

    /** Lower-case letters, digits, {@code -} and {@code _} after the slash, 32 characters in all, as Slack takes. */
    private static final Pattern COMMAND = Pattern.compile("/[a-z0-9_-]{1,31}");
    /** {@code chat:write}, {@code users:read.email}, {@code commands}, {@code links.embed:write}. */
    private static final Pattern SCOPE = Pattern.compile("[a-z][a-z0-9_.-]*(:[a-z0-9_.-]+)*");
    /** The paths of {@code SlackEventsHandler}, under the broker's base URL. */
    private static final List<String> BROKER_PATHS = List.of("/slack/events", "/slack/commands", "/slack/interactive");

    private ManifestCommand() {}

    /**
     * Runs the command with the arguments after {@code manifest}: prints the manifest on {@code out} and
     * returns 0, or for bad arguments prints what is wrong and {@link #USAGE} on {@code err} and returns
     * {@link #USAGE_ERROR}.
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        String json;
        try {
            json = forArguments(args).toJson();
        } catch (IllegalArgumentException e) {
            err.println("relax: " + e.getMessage());
            err.println(USAGE);
            return USAGE_ERROR;
        }
        out.print(json);
        out.flush();
        return 0;
    }

    /**
     * The manifest for the arguments after {@code manifest}.
     *
     * @throws IllegalArgumentException naming the argument that is unknown, repeated, missing its value or
     *     malformed
     */
    public static SlackAppManifest forArguments(List<String> args) {
        String name = null;
        String base = null;
        boolean socketMode = false;
        boolean interactivity = false;
        boolean tokenRotation = false;
        String redirectUrl = null;
        Map<String, String> commands = new LinkedHashMap<>();
        SortedSet<String> botScopes = new TreeSet<>(BOT_SCOPES);
        SortedSet<String> userScopes = new TreeSet<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--name" -> name = once(option, name, name(value(args, ++i, option)));
                case "--socket-mode" -> socketMode = flag(option, socketMode);
                case "--request-url" -> base = once(option, base, baseUrl(value(args, ++i, option)));
                case "--command" -> command(value(args, ++i, option), commands);
                case "--interactivity" -> interactivity = flag(option, interactivity);
                case "--oauth-redirect-url" ->
                    redirectUrl = once(
                            option,
                            redirectUrl,
                            https(option, value(args, ++i, option)).toString());
                case "--user-scope" -> userScopes.add(scope(option, value(args, ++i, option)));
                case "--bot-scope" -> botScopes.add(scope(option, value(args, ++i, option)));
                case "--token-rotation" -> tokenRotation = flag(option, tokenRotation);
                default -> throw new IllegalArgumentException("unknown argument '" + option + "'");
            }
        }
        if (socketMode && base != null) {
            throw new IllegalArgumentException("--socket-mode and --request-url exclude each other");
        }
        String appName = name == null ? DEFAULT_NAME : name;
        List<SlackAppManifest.SlashCommand> slashCommands = new ArrayList<>();
        for (Map.Entry<String, String> c : commands.entrySet()) {
            String description = c.getValue() == null ? "Handled by " + appName : c.getValue();
            slashCommands.add(new SlackAppManifest.SlashCommand(
                    c.getKey(), description, base == null ? null : base + "/slack/commands"));
        }
        if (!commands.isEmpty()) {
            botScopes.add(COMMANDS_SCOPE);
        }
        SlackAppManifest.Builder manifest = SlackAppManifest.builder(appName, DESCRIPTION)
                .botScopes(List.copyOf(botScopes))
                .userScopes(List.copyOf(userScopes))
                .botEvents(BOT_EVENTS)
                .slashCommands(slashCommands)
                .redirectUrls(redirectUrl == null ? List.of() : List.of(redirectUrl))
                .tokenRotation(tokenRotation);
        if (base != null) {
            manifest.eventsApi(base + "/slack/events");
        }
        if (interactivity) {
            manifest.interactivity(base == null ? null : base + "/slack/interactive");
        }
        return manifest.build();
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static <T> T once(String option, T current, T value) {
        if (current != null) {
            throw new IllegalArgumentException(option + " is given twice");
        }
        return value;
    }

    private static boolean flag(String option, boolean current) {
        if (current) {
            throw new IllegalArgumentException(option + " is given twice");
        }
        return true;
    }

    private static String name(String value) {
        String name = value.strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("--name must be 1 to " + MAX_NAME + " characters, was '" + value + "'");
        }
        return name;
    }

    /** {@code /name} or {@code /name=description}, into {@code commands} (command → description or null). */
    private static void command(String value, Map<String, String> commands) {
        int eq = value.indexOf('=');
        String command = eq < 0 ? value : value.substring(0, eq);
        String description = eq < 0 ? null : value.substring(eq + 1).strip();
        if (!COMMAND.matcher(command).matches()) {
            throw new IllegalArgumentException("--command must be a slash and up to 31 lower-case letters, digits,"
                    + " '-' or '_' (then =description if you like), was '" + value + "'");
        }
        if (description != null && description.isEmpty()) {
            throw new IllegalArgumentException("--command " + command + " has an empty description");
        }
        if (commands.containsKey(command)) {
            throw new IllegalArgumentException("--command " + command + " is given twice");
        }
        commands.put(command, description);
    }

    private static String scope(String option, String value) {
        if (!SCOPE.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    option + " must be a Slack scope such as chat:write, was '" + value + "'");
        }
        return value;
    }

    /**
     * The broker's public base URL, without a trailing slash: {@code https://relax.example.com} or one
     * with a path prefix a proxy strips ({@code https://example.com/relax}); never one of the broker's own
     * paths, which the manifest adds.
     */
    private static String baseUrl(String value) {
        URI url = https("--request-url", value);
        String base = url.toString().replaceAll("/+$", "");
        for (String path : BROKER_PATHS) {
            if (url.getPath().replaceAll("/+$", "").endsWith(path)) {
                throw new IllegalArgumentException("--request-url is the broker's base URL (such as https://"
                        + url.getHost() + "), without " + path + ", was '" + value + "'");
            }
        }
        return base;
    }

    /** Slack sends requests and users only to absolute https URLs; a query or fragment would be lost. */
    private static URI https(String option, String value) {
        try {
            URI url = new URI(value);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("https")
                    && url.getHost() != null
                    && url.getUserInfo() == null
                    && url.getRawQuery() == null
                    && url.getRawFragment() == null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                option + " must be an absolute https URL without query or fragment, was '" + value + "'");
    }
}
