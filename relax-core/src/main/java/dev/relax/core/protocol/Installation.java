/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

import dev.relax.core.RelaxException;
import dev.relax.core.Secret;
import java.time.Instant;
import java.util.Objects;

/**
 * An app installed in one workspace (or, for an Enterprise Grid org-wide install, in one organization), as
 * stored with {@code HSET <installations key> <app id>:<team or enterprise id> <json>}: {@code
 * {"app_id":"A0123","team_id":"T0123","bot_user_id":"U0BOT","bot_token":"xoxb-..."}}, plus the fields below
 * that Slack's OAuth flow returns (docs/protocol.md, "Installations"). The broker names {@code relax_bot_uid}
 * from it and calls the Web API with its token. Tokens never appear in {@link #toString()}.
 *
 * @param appId the app, never empty
 * @param teamId the workspace; empty only for an org-wide install
 * @param botUserId the app's bot user in that workspace ({@code U…}), or empty when unknown
 * @param botToken the bot token ({@code xoxb-…}, {@code xoxe.xoxb-…} with token rotation)
 * @param enterpriseId the Enterprise Grid organization ({@code E…}), or empty
 * @param enterpriseInstall whether the app was installed for the whole organization
 * @param botScopes the scopes granted to the bot, comma-separated as Slack returns them, or empty
 * @param installerUserId the user who installed the app, or empty
 * @param userToken the installing user's token when user scopes were granted, or empty
 * @param userScopes the scopes of {@code userToken}, or empty
 * @param botRefreshToken with token rotation, what renews {@code botToken}; else empty
 * @param botTokenExpiresAt with token rotation, when {@code botToken} expires; else null
 * @param userRefreshToken with token rotation, what renews {@code userToken}; else empty
 * @param userTokenExpiresAt with token rotation, when {@code userToken} expires; else null
 * @param installedAt when the broker stored it from Slack's OAuth flow; null when added otherwise. An
 *     uninstall event older than it (Slack's retry of one from before a reinstall) leaves it alone
 */
public record Installation(
        String appId,
        String teamId,
        String botUserId,
        Secret botToken,
        String enterpriseId,
        boolean enterpriseInstall,
        String botScopes,
        String installerUserId,
        Secret userToken,
        String userScopes,
        Secret botRefreshToken,
        Instant botTokenExpiresAt,
        Secret userRefreshToken,
        Instant userTokenExpiresAt,
        Instant installedAt) {

    public Installation {
        if (appId == null || appId.isBlank()) {
            throw RelaxException.badSetting(Protocol.FIELD_APP_ID, "must not be empty in an installation");
        }
        teamId = teamId == null ? "" : teamId;
        enterpriseId = enterpriseId == null ? "" : enterpriseId;
        if (enterpriseInstall && enterpriseId.isBlank()) {
            throw RelaxException.badSetting(
                    Protocol.FIELD_ENTERPRISE_ID, "must not be empty in an org-wide (enterprise) installation");
        }
        if (!enterpriseInstall && teamId.isBlank()) {
            throw RelaxException.badSetting(Protocol.FIELD_TEAM_ID, "must not be empty in an installation");
        }
        botUserId = botUserId == null ? "" : botUserId;
        botToken = botToken == null ? Secret.of("") : botToken;
        botScopes = botScopes == null ? "" : botScopes;
        installerUserId = installerUserId == null ? "" : installerUserId;
        userToken = userToken == null ? Secret.of("") : userToken;
        userScopes = userScopes == null ? "" : userScopes;
        botRefreshToken = botRefreshToken == null ? Secret.of("") : botRefreshToken;
        userRefreshToken = userRefreshToken == null ? Secret.of("") : userRefreshToken;
    }

    /** An installation as the Go-era registrations knew it: a bot in a workspace, no OAuth details. */
    public Installation(String appId, String teamId, String botUserId, Secret botToken) {
        this(appId, teamId, botUserId, botToken, "", false, "", "", null, "", null, null, null, null, null);
    }

    public static Installation of(String appId, String teamId, String botUserId, String botToken) {
        return new Installation(appId, teamId, botUserId, Secret.of(botToken));
    }

    /** A builder for an installation of {@code appId} in workspace {@code teamId} (empty for org-wide). */
    public static Builder builder(String appId, String teamId) {
        return new Builder(appId, teamId);
    }

    /** A builder that starts from this installation. */
    public Builder mutate() {
        Builder b = new Builder(appId, teamId);
        b.botUserId = botUserId;
        b.botToken = botToken;
        b.enterpriseId = enterpriseId;
        b.enterpriseInstall = enterpriseInstall;
        b.botScopes = botScopes;
        b.installerUserId = installerUserId;
        b.userToken = userToken;
        b.userScopes = userScopes;
        b.botRefreshToken = botRefreshToken;
        b.botTokenExpiresAt = botTokenExpiresAt;
        b.userRefreshToken = userRefreshToken;
        b.userTokenExpiresAt = userTokenExpiresAt;
        b.installedAt = installedAt;
        return b;
    }

    /** Whether the bot token expires and is renewed with a refresh token (Slack's token rotation). */
    public boolean rotatesBotToken() {
        return !botRefreshToken.isEmpty();
    }

    /** The field of the installations hash: {@code <app id>:<team id>}, or {@code <app id>:<enterprise id>}. */
    public String hashField() {
        return hashField(appId, enterpriseInstall ? enterpriseId : teamId);
    }

    public static String hashField(String appId, String teamId) {
        return appId + ":" + teamId;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Installation[appId=")
                .append(appId)
                .append(", teamId=")
                .append(teamId)
                .append(", botUserId=")
                .append(botUserId)
                .append(", botToken=")
                .append(botToken);
        if (!enterpriseId.isEmpty()) {
            s.append(", enterpriseId=")
                    .append(enterpriseId)
                    .append(", enterpriseInstall=")
                    .append(enterpriseInstall);
        }
        if (!userToken.isEmpty()) {
            s.append(", userToken=").append(userToken);
        }
        if (botTokenExpiresAt != null) {
            s.append(", botTokenExpiresAt=").append(botTokenExpiresAt);
        }
        return s.append(']').toString();
    }

    /** Builds an {@link Installation}; {@link #build()} checks it as the constructor does. */
    public static final class Builder {
        private final String appId;
        private final String teamId;
        private String botUserId = "";
        private Secret botToken = Secret.of("");
        private String enterpriseId = "";
        private boolean enterpriseInstall;
        private String botScopes = "";
        private String installerUserId = "";
        private Secret userToken = Secret.of("");
        private String userScopes = "";
        private Secret botRefreshToken = Secret.of("");
        private Instant botTokenExpiresAt;
        private Secret userRefreshToken = Secret.of("");
        private Instant userTokenExpiresAt;
        private Instant installedAt;

        private Builder(String appId, String teamId) {
            this.appId = appId;
            this.teamId = teamId;
        }

        public Builder bot(String userId, Secret token, String scopes) {
            botUserId = userId;
            botToken = Objects.requireNonNull(token, "token");
            botScopes = scopes;
            return this;
        }

        /** The organization; {@code orgWide} for an install for the whole organization. */
        public Builder enterprise(String id, boolean orgWide) {
            enterpriseId = id;
            enterpriseInstall = orgWide;
            return this;
        }

        public Builder installer(String userId) {
            installerUserId = userId;
            return this;
        }

        public Builder user(Secret token, String scopes) {
            userToken = Objects.requireNonNull(token, "token");
            userScopes = scopes;
            return this;
        }

        /** Token rotation: the bot token's refresh token and expiry. */
        public Builder botRotation(Secret refreshToken, Instant expiresAt) {
            botRefreshToken = Objects.requireNonNull(refreshToken, "refreshToken");
            botTokenExpiresAt = expiresAt;
            return this;
        }

        /** Token rotation: the user token's refresh token and expiry. */
        public Builder userRotation(Secret refreshToken, Instant expiresAt) {
            userRefreshToken = Objects.requireNonNull(refreshToken, "refreshToken");
            userTokenExpiresAt = expiresAt;
            return this;
        }

        /** When it was installed through Slack's OAuth flow. */
        public Builder installedAt(Instant at) {
            installedAt = at;
            return this;
        }

        public Installation build() {
            return new Installation(
                    appId,
                    teamId,
                    botUserId,
                    botToken,
                    enterpriseId,
                    enterpriseInstall,
                    botScopes,
                    installerUserId,
                    userToken,
                    userScopes,
                    botRefreshToken,
                    botTokenExpiresAt,
                    userRefreshToken,
                    userTokenExpiresAt,
                    installedAt);
        }
    }
}
