/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import java.util.Map;

/**
 * The one table of what Slack's answers to opening a connection mean: the errors of {@code rtm.connect}
 * (https://api.slack.com/methods/rtm.connect) and {@code apps.connections.open}
 * (https://api.slack.com/methods/apps.connections.open), and Socket Mode's {@code disconnect} reasons.
 * A row can mean different things to the two protocols: RTM disables a bot only on the four errors
 * docs/protocol.md names for {@code disable_bot}; Socket Mode gives up on an app whenever no retry can
 * help. An error not in the table is retried with back-off.
 */
public final class SlackConnectErrors {

    /** Which protocol asks. */
    public enum Side {
        RTM,
        SOCKET_MODE
    }

    /** What an error means to the connection that got it. */
    public enum Meaning {
        /** The token will not work until the app stores a new one: disable, retry no more. */
        DISABLE,
        /** Retry with back-off. */
        RETRY,
        /** Rate limited: wait the answer's {@code Retry-After} (back-off when it has none). */
        RETRY_AFTER,
        /** Retried like any error, but waiting will not help: Slack gives this token no RTM connection. */
        RETRY_NOT_FOR_RTM
    }

    private record Row(Meaning rtm, Meaning socketMode) {}

    private static final Row DISABLE_BOTH = new Row(Meaning.DISABLE, Meaning.DISABLE);
    private static final Row APP_ONLY = new Row(Meaning.RETRY, Meaning.DISABLE);
    private static final Row NOT_FOR_RTM = new Row(Meaning.RETRY_NOT_FOR_RTM, Meaning.DISABLE);

    private static final Map<String, Row> TABLE = Map.ofEntries(
            Map.entry("invalid_auth", DISABLE_BOTH),
            Map.entry("not_authed", DISABLE_BOTH),
            Map.entry("account_inactive", DISABLE_BOTH),
            Map.entry("token_revoked", DISABLE_BOTH),
            Map.entry("token_expired", APP_ONLY),
            Map.entry("app_uninstalled", APP_ONLY),
            // A Socket Mode disconnect reason: the app's Socket Mode was turned off.
            Map.entry("link_disabled", APP_ONLY),
            // Apps created since 2024-06 cannot use RTM; a classic app's bot token can.
            Map.entry("not_allowed_token_type", NOT_FOR_RTM),
            Map.entry("missing_scope", NOT_FOR_RTM),
            Map.entry("no_permission", NOT_FOR_RTM),
            // An app's 11th socket: the socket closes, and the retry finds room once another one closed.
            Map.entry("too_many_websockets", new Row(Meaning.RETRY, Meaning.RETRY)),
            Map.entry("ratelimited", new Row(Meaning.RETRY_AFTER, Meaning.RETRY_AFTER)));

    private SlackConnectErrors() {}

    /** What {@code error} (Slack's {@code error} field or disconnect reason) means to {@code side}. */
    public static Meaning meaning(Side side, String error) {
        Row row = TABLE.get(error);
        if (row == null) {
            return Meaning.RETRY;
        }
        return side == Side.RTM ? row.rtm() : row.socketMode();
    }

    /** What a failed answer means: any HTTP 429 is a rate limit, whatever its body says. */
    public static Meaning meaning(Side side, SlackWebApi.Response answer) {
        return answer.status() == 429 ? Meaning.RETRY_AFTER : meaning(side, answer.error());
    }
}
