/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.core.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every token the simulator knows, what it may do, and whether it still works. Thread-safe. */
public final class Tokens {
    /** What a token is: it decides which Web API methods accept it. */
    public enum Kind {
        /** A classic bot token ({@code xoxb-}) that may open RTM connections. */
        CLASSIC_BOT,
        /** A bot token from an app installation: Web API only, no RTM, as for every new Slack app. */
        APP_BOT,
        /** An app-level token ({@code xapp-}): apps.connections.open only. */
        APP_LEVEL,
        /** A user token ({@code xoxp-}) granted through OAuth user scopes: Web API only, acting as the person. */
        USER
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
        private final String enterpriseId;
        /** When the token stops working (token rotation), or {@code null} for never. */
        private final Instant expiresAt;
        /** The refresh chain of a rotating token, or {@code null}. */
        private final Chain chain;

        private volatile State state = State.ACTIVE;

        Grant(Secret token, Kind kind, String teamId, String userId, String appId) {
            this(token, kind, teamId, userId, appId, "", null, null);
        }

        Grant(
                Secret token,
                Kind kind,
                String teamId,
                String userId,
                String appId,
                String enterpriseId,
                Instant expiresAt,
                Chain chain) {
            this.token = token;
            this.kind = kind;
            this.teamId = teamId;
            this.userId = userId;
            this.appId = appId;
            this.enterpriseId = enterpriseId;
            this.expiresAt = expiresAt;
            this.chain = chain;
        }

        /** The organization of an org-wide installation's token ({@code teamId} is then empty), or empty. */
        public String enterpriseId() {
            return enterpriseId;
        }

        /** True once a rotating token's lifetime is over (https://api.slack.com/authentication/rotation). */
        public boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }

        public Chain chain() {
            return chain;
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

        /** True for tokens that act in a workspace (bot and user tokens), false for app-level tokens. */
        public boolean isBot() {
            return kind != Kind.APP_LEVEL;
        }
    }

    /**
     * The refresh side of one rotating authorization (a bot's or a person's): the one refresh token that
     * works now and every access token issued under it. Slack revokes a refresh token once it has been
     * used and hands out a new one with the new access token
     * (https://docs.slack.dev/authentication/using-token-rotation); revoking any token of the chain ends
     * the whole authorization, so the refresh token stops working too.
     */
    public static final class Chain {
        private final Kind kind;
        private final String teamId;
        private final String enterpriseId;
        private final String userId;
        private final String appId;
        private final List<Grant> issued = new CopyOnWriteArrayList<>();
        /** Guarded by this chain's monitor together with {@link #revoked}. */
        private String refreshToken;

        private boolean revoked;

        private volatile String scope = "";

        Chain(Kind kind, String teamId, String enterpriseId, String userId, String appId) {
            this.kind = kind;
            this.teamId = teamId;
            this.enterpriseId = enterpriseId;
            this.userId = userId;
            this.appId = appId;
        }

        public Kind kind() {
            return kind;
        }

        public String teamId() {
            return teamId;
        }

        public String enterpriseId() {
            return enterpriseId;
        }

        public String userId() {
            return userId;
        }

        public String appId() {
            return appId;
        }

        /** The scopes granted, repeated by each refresh's answer. */
        public String scope() {
            return scope;
        }

        public void scope(String value) {
            scope = value;
        }

        public synchronized boolean revoked() {
            return revoked;
        }
    }

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    /** Rotating authorizations by their current refresh token; a used or revoked one is removed. */
    private final Map<String, Chain> chains = new ConcurrentHashMap<>();

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

    /** Every token issued so far. */
    public List<Grant> all() {
        return List.copyOf(grants.values());
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

    /**
     * Issues a token that expires at {@code expiresAt}, starting a new refresh chain when {@code chain} is
     * null, and returns its grant. The token is a new random one of Slack's rotated form: {@code
     * xoxe.xoxb-1-…} for a bot, {@code xoxe.xoxp-1-…} for a person.
     */
    public Grant issueRotating(
            Kind kind,
            String teamId,
            String enterpriseId,
            String userId,
            String appId,
            Instant expiresAt,
            Chain chain,
            String random) {
        Chain owner = chain != null ? chain : new Chain(kind, teamId, enterpriseId, userId, appId);
        String prefix = kind == Kind.USER ? "xoxe.xoxp-1-" : "xoxe.xoxb-1-";
        Grant grant =
                new Grant(Secret.of(prefix + random), kind, teamId, userId, appId, enterpriseId, expiresAt, owner);
        grants.put(grant.token().reveal(), grant);
        owner.issued.add(grant);
        return grant;
    }

    /** Registers a token that never expires, as {@link #register} does, for an org-wide installation too. */
    public Grant issue(Kind kind, String teamId, String enterpriseId, String userId, String appId, String token) {
        Grant grant = new Grant(Secret.of(token), kind, teamId, userId, appId, enterpriseId, null, null);
        if (grants.putIfAbsent(token, grant) != null) {
            throw new IllegalArgumentException("token " + grant.token() + " is already registered");
        }
        return grant;
    }

    /** Hands {@code chain} a new refresh token ({@code xoxe-1-…}), retiring its previous one. */
    public Secret newRefreshToken(Chain chain, String random) {
        String token = "xoxe-1-" + random;
        synchronized (chain) {
            if (chain.refreshToken != null) {
                chains.remove(chain.refreshToken);
            }
            chain.refreshToken = token;
            chains.put(token, chain);
        }
        return Secret.of(token);
    }

    /**
     * Uses a refresh token: its chain, with the token retired (each works once), or {@code null} for a
     * token that is unknown, already used or revoked.
     */
    public Chain redeemRefreshToken(String refreshToken) {
        if (refreshToken == null || refreshToken.isEmpty()) {
            return null;
        }
        Chain chain = chains.remove(refreshToken);
        if (chain == null) {
            return null;
        }
        synchronized (chain) {
            if (chain.revoked || !refreshToken.equals(chain.refreshToken)) {
                return null;
            }
            chain.refreshToken = null;
            return chain;
        }
    }

    /**
     * Revokes {@code token}: an access token with its whole chain, or a refresh token with the access
     * tokens issued under it. Returns the grants revoked; fails for a token the simulator never issued.
     */
    public List<Grant> revoke(String token) {
        Chain chain = chains.get(token == null ? "" : token);
        Grant grant = find(token);
        if (chain == null && grant != null) {
            chain = grant.chain;
        }
        if (chain == null) {
            return List.of(setState(token, State.REVOKED));
        }
        synchronized (chain) {
            chain.revoked = true;
            if (chain.refreshToken != null) {
                chains.remove(chain.refreshToken);
            }
        }
        chain.issued.forEach(issued -> issued.state = State.REVOKED);
        return List.copyOf(chain.issued);
    }
}
