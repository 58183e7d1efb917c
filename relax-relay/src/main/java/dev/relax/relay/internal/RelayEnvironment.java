/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import dev.relax.core.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relay jar's configuration, read from its environment (docs/relay.md, "Configuration"): what to do
 * with questions ({@link #settings}) and where they come from ({@link #mode}). Only {@code Main} reads the
 * real environment; tests hand {@link #fromEnv(Map)} a map. The Relax variables ({@code REDIS_URL},
 * {@code RELAX_*}, {@code SLACK_HOST}) are read where they always are, by {@code RelaxConfig.fromEnv}.
 *
 * <p>A variable set to blanks counts as unset, except {@code RELAY_STATUS}, where empty means no status. A
 * bad value is an {@link IllegalArgumentException} naming the variable and the value, or, for a secret,
 * saying what is wrong without the value.
 *
 * @param settings what the relay does with each question
 * @param mode where the questions come from
 */
record RelayEnvironment(RelaySettings settings, Mode mode) {
    static final String BACKEND_URL = "BACKEND_URL";
    static final String BACKEND_TOKEN = "BACKEND_TOKEN";
    static final String BACKEND_CONNECT_TIMEOUT = "BACKEND_CONNECT_TIMEOUT";
    static final String BACKEND_FIRST_BYTE_TIMEOUT = "BACKEND_FIRST_BYTE_TIMEOUT";
    static final String BACKEND_IDLE_TIMEOUT = "BACKEND_IDLE_TIMEOUT";
    static final String BACKEND_TOTAL_TIMEOUT = "BACKEND_TOTAL_TIMEOUT";
    static final String BACKEND_MAX_ATTEMPTS = "BACKEND_MAX_ATTEMPTS";
    static final String RELAY_CONCURRENCY = "RELAY_CONCURRENCY";
    static final String RELAY_FOLLOW_THREADS = "RELAY_FOLLOW_THREADS";
    static final String RELAY_THREAD_CONTEXT = "RELAY_THREAD_CONTEXT";
    static final String RELAY_ALLOW_BROADCASTS = "RELAY_ALLOW_BROADCASTS";
    static final String RELAY_STATUS = "RELAY_STATUS";
    static final String RELAY_LEASE = "RELAY_LEASE";
    static final String RELAY_STOP_TIMEOUT = "RELAY_STOP_TIMEOUT";
    static final String RELAY_FLUSH_CHARS = "RELAY_FLUSH_CHARS";
    static final String RELAY_FLUSH_INTERVAL = "RELAY_FLUSH_INTERVAL";
    static final String SLACK_APP_TOKEN = "SLACK_APP_TOKEN";
    static final String SLACK_BOT_TOKEN = "SLACK_BOT_TOKEN";
    static final String SLACK_APP_ID = "SLACK_APP_ID";

    /** More attempts than this would hold a question for many minutes against a backend that is down. */
    static final int MAX_ATTEMPTS_LIMIT = 100;

    private static final Pattern PLAIN_DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");
    private static final Pattern APP_ID = Pattern.compile("A[A-Z0-9]+");

    RelayEnvironment {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(mode, "mode");
    }

    /** Where the questions come from. */
    sealed interface Mode permits QuickStart, Fleet {}

    /**
     * One workspace, Socket Mode: the relay runs a broker in its own JVM and registers the app and its
     * installation itself ({@code SLACK_APP_TOKEN} and {@code SLACK_BOT_TOKEN} set).
     *
     * @param appToken the app-level token ({@code xapp-…})
     * @param botToken the bot token of the app's installation ({@code xoxb-…})
     * @param appId {@code SLACK_APP_ID}, or empty: then Slack is asked (auth.test, bots.info)
     */
    record QuickStart(Secret appToken, Secret botToken, String appId) implements Mode {
        QuickStart {
            Objects.requireNonNull(appToken, "appToken");
            Objects.requireNonNull(botToken, "botToken");
            Objects.requireNonNull(appId, "appId");
        }
    }

    /** Brokers elsewhere fill the events queue; this relay only consumes it ({@code SLACK_*} unset). */
    record Fleet() implements Mode {}

    /** Reads the relay's variables from {@code env}; see the class comment for what a bad value does. */
    static RelayEnvironment fromEnv(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        BackendSettings backend = BackendSettings.builder(backendUrl(env))
                .bearerToken(backendToken(env))
                .timeouts(
                        duration(env, BACKEND_CONNECT_TIMEOUT, BackendSettings.DEFAULT_CONNECT_TIMEOUT),
                        duration(env, BACKEND_FIRST_BYTE_TIMEOUT, BackendSettings.DEFAULT_FIRST_BYTE_TIMEOUT),
                        duration(env, BACKEND_IDLE_TIMEOUT, BackendSettings.DEFAULT_IDLE_TIMEOUT),
                        duration(env, BACKEND_TOTAL_TIMEOUT, BackendSettings.DEFAULT_TOTAL_TIMEOUT))
                .retries(
                        integer(env, BACKEND_MAX_ATTEMPTS, BackendSettings.DEFAULT_MAX_ATTEMPTS, 1, MAX_ATTEMPTS_LIMIT),
                        BackendSettings.DEFAULT_BACKOFF)
                .build();
        AnswerSettings answers = new AnswerSettings(
                integer(
                        env,
                        RELAY_FLUSH_CHARS,
                        AnswerSettings.DEFAULT_FLUSH_CHARS,
                        1,
                        AnswerSettings.SLACK_MARKDOWN_LIMIT),
                duration(env, RELAY_FLUSH_INTERVAL, AnswerSettings.DEFAULT_FLUSH_INTERVAL),
                AnswerSettings.DEFAULT_UPDATE_INTERVAL,
                bool(env, RELAY_ALLOW_BROADCASTS, false),
                AnswerSettings.SLACK_MARKDOWN_LIMIT,
                AnswerSettings.SLACK_TEXT_LIMIT);
        Duration lease = duration(env, RELAY_LEASE, RelaySettings.DEFAULT_LEASE);
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw bad(RELAY_LEASE, "must be at least 1s", env.get(RELAY_LEASE));
        }
        String status = env.get(RELAY_STATUS);
        RelaySettings settings = new RelaySettings(
                backend,
                answers,
                bool(env, RELAY_FOLLOW_THREADS, true),
                bool(env, RELAY_THREAD_CONTEXT, false),
                integer(env, RELAY_CONCURRENCY, RelaySettings.DEFAULT_CONCURRENCY, 1, 10_000),
                lease,
                status == null ? RelaySettings.DEFAULT_STATUS : status.strip(),
                duration(env, RELAY_STOP_TIMEOUT, RelaySettings.DEFAULT_STOP_TIMEOUT));
        return new RelayEnvironment(settings, mode(env));
    }

    /** Quick start when both Slack tokens are set, fleet mode when neither is. */
    private static Mode mode(Map<String, String> env) {
        String appToken = text(env, SLACK_APP_TOKEN);
        String botToken = text(env, SLACK_BOT_TOKEN);
        String appId = text(env, SLACK_APP_ID);
        if (appToken == null && botToken == null) {
            if (appId != null) {
                throw new IllegalArgumentException(SLACK_APP_ID + " is set but " + SLACK_APP_TOKEN + " and "
                        + SLACK_BOT_TOKEN + " are not: it is only used by the quick start");
            }
            return new Fleet();
        }
        if (appToken == null || botToken == null) {
            String missing = appToken == null ? SLACK_APP_TOKEN : SLACK_BOT_TOKEN;
            throw new IllegalArgumentException(missing + " is not set: the quick start needs both " + SLACK_APP_TOKEN
                    + " and " + SLACK_BOT_TOKEN + " (fleet mode needs neither)");
        }
        // Checked because the two are easily swapped; the message never shows a token.
        if (!appToken.startsWith("xapp-")) {
            throw new IllegalArgumentException(
                    SLACK_APP_TOKEN + " must be an app-level token (xapp-…); its value is not shown");
        }
        if (!botToken.startsWith("xoxb-")) {
            throw new IllegalArgumentException(
                    SLACK_BOT_TOKEN + " must be a bot token (xoxb-…); its value is not shown");
        }
        if (appId != null && !APP_ID.matcher(appId).matches()) {
            throw bad(SLACK_APP_ID, "must be a Slack app id such as A0123ABCD", env.get(SLACK_APP_ID));
        }
        return new QuickStart(Secret.of(appToken), Secret.of(botToken), appId == null ? "" : appId);
    }

    private static URI backendUrl(Map<String, String> env) {
        String value = text(env, BACKEND_URL);
        if (value == null) {
            throw new IllegalArgumentException(
                    BACKEND_URL + " is not set: the http(s) URL the relay POSTs questions to (docs/relay.md)");
        }
        try {
            URI url = new URI(value);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && url.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw bad(BACKEND_URL, "must be an absolute http(s) URL", redactUrl(env.get(BACKEND_URL)));
    }

    private static String backendToken(Map<String, String> env) {
        String value = text(env, BACKEND_TOKEN);
        if (value != null && !value.chars().allMatch(c -> c > ' ' && c < 127)) {
            // It goes in an Authorization header, which takes visible ASCII only.
            throw new IllegalArgumentException(
                    BACKEND_TOKEN + " must be visible ASCII without spaces or line breaks; its value is not shown");
        }
        return value;
    }

    /**
     * {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT30S}); positive. A bare number
     * is refused: seconds or milliseconds would be a guess.
     */
    static Duration duration(Map<String, String> env, String name, Duration otherwise) {
        String value = text(env, name);
        if (value == null) {
            return otherwise;
        }
        Duration parsed = parseDuration(value);
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            throw bad(name, "must be a positive duration such as 30s, 500ms, 5m or PT30S", env.get(name));
        }
        return parsed;
    }

    private static Duration parseDuration(String value) {
        Matcher plain = PLAIN_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (plain.matches()) {
            long amount = Long.parseLong(plain.group(1));
            return switch (plain.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int integer(Map<String, String> env, String name, int otherwise, int min, int max) {
        String value = text(env, name);
        if (value == null) {
            return otherwise;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, "must be a whole number in " + min + ".." + max, env.get(name));
    }

    private static boolean bool(Map<String, String> env, String name, boolean otherwise) {
        String value = text(env, name);
        if (value == null) {
            return otherwise;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw bad(name, "must be true or false", env.get(name));
        };
    }

    /** The value, trimmed, or {@code null} when unset or blank. */
    private static String text(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static IllegalArgumentException bad(String name, String rule, String value) {
        return new IllegalArgumentException(name + " " + rule + ", was '" + value + "'");
    }

    /**
     * {@code url} as it may be logged: user information ({@code https://user:secret@host}) masked, and the
     * query and fragment too (an {@code ?api_key=} is a credential).
     */
    static String redactUrl(String url) {
        return url.replaceAll("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#\\s]*@", "$1****@")
                .replaceAll("([?#]).*$", "$1****");
    }
}
