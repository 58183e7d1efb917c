/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.core.Secret;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Every token the simulator knows, what it may do, and whether it still works. Thread-safe. */
public final class Tokens {
    /** What a token is: it decides which Web API methods accept it. */
    public enum Kind {
        /** A classic bot token ({@code xoxb-}) that may open RTM connections. */
        CLASSIC_BOT,
        /** A bot token from an app installation: Web API only, no RTM, as for every new Slack app. */
        APP_BOT,
        /** An app-level token ({@code xapp-}): apps.connections.open only. */
        APP_LEVEL
    }

    /** Whether a token still works, and which error it produces when it does not. */
    public enum State {
        ACTIVE(""),
        REVOKED("token_revoked"),
        INACTIVE("account_inactive");

        private final String error;

        State(String error) {
            this.error = error;
        }

        public String error() {
            return error;
        }
    }

    /**
     * One token. {@code teamId} and {@code userId} are empty for an app-level token, {@code appId} is
     * empty for a classic bot.
     */
    public static final class Grant {
        private final Secret token;
        private final Kind kind;
        private final String teamId;
        private final String userId;
        private final String appId;
        private volatile State state = State.ACTIVE;

        Grant(Secret token, Kind kind, String teamId, String userId, String appId) {
            this.token = token;
            this.kind = kind;
            this.teamId = teamId;
            this.userId = userId;
            this.appId = appId;
        }

        public Secret token() {
            return token;
        }

        public Kind kind() {
            return kind;
        }

        public String teamId() {
            return teamId;
        }

        public String userId() {
            return userId;
        }

        public String appId() {
            return appId;
        }

        public State state() {
            return state;
        }

        public boolean isBot() {
            return kind != Kind.APP_LEVEL;
        }
    }

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    /**
     * Registers {@code token}; registering the same token again with the same identity returns the
     * existing grant, with another identity fails.
     */
    public Grant register(String token, Kind kind, String teamId, String userId, String appId) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be empty");
        }
        Grant grant = grants.computeIfAbsent(token, t -> new Grant(Secret.of(t), kind, teamId, userId, appId));
        if (!grant.teamId.equals(teamId)
                || !grant.userId.equals(userId)
                || grant.kind != kind && kind != Kind.APP_BOT) {
            throw new IllegalArgumentException("token " + grant.token + " is already registered for " + grant.kind + " "
                    + grant.teamId + "/" + grant.userId);
        }
        return grant;
    }

    /** The grant of {@code token}, or {@code null} when the simulator never issued it. */
    public Grant find(String token) {
        return token == null ? null : grants.get(token);
    }

    /** Sets the state of a known token and returns its grant; fails for a token the simulator never issued. */
    public Grant setState(String token, State state) {
        Grant grant = find(token);
        if (grant == null) {
            throw new IllegalArgumentException("unknown token " + Secret.of(token));
        }
        grant.state = state;
        return grant;
    }
}
