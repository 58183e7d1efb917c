/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.core.Secret;
import java.time.Duration;
import java.time.Instant;

/**
 * https://api.slack.com/methods/oauth.v2.access: exchanges a code from the authorize page for an
 * installation ({@code grant_type=authorization_code}, the default), or a refresh token for a new access
 * token and refresh token ({@code grant_type=refresh_token}). Client credentials come from HTTP Basic
 * authentication, as Slack prefers, or the {@code client_id} / {@code client_secret} arguments.
 */
final class OAuthAccess {
    /** The scopes of a code made by {@code App.authorizationCode} for an installation made in code. */
    private static final String DEFAULT_SCOPE =
            "app_mentions:read,channels:history,chat:write,groups:history,im:history,reactions:read";

    private final SimulatorCore core;
    private final OAuthInstaller installer;

    OAuthAccess(SimulatorCore core) {
        this.core = core;
        this.installer = new OAuthInstaller(core);
    }

    ObjectNode access(ApiRequest request, WebApi.Caller caller) throws ApiError {
        boolean basic = !request.basicUser().isEmpty();
        String clientId = basic ? request.basicUser() : request.arg("client_id");
        String clientSecret = basic ? request.basicPassword() : request.arg("client_secret");
        AppState app = core.apps().stream()
                .filter(candidate -> candidate.clientId().equals(clientId))
                .findFirst()
                .orElseThrow(() -> new ApiError("invalid_client_id"));
        if (!app.clientSecret().equals(Secret.of(clientSecret))) {
            throw new ApiError("bad_client_secret");
        }
        String grantType = request.arg("grant_type");
        return switch (grantType) {
            case "", "authorization_code" -> exchange(app, request);
            case "refresh_token" -> refresh(app, request.arg("refresh_token"));
            default -> throw new ApiError("invalid_grant_type");
        };
    }

    private ObjectNode exchange(AppState app, ApiRequest request) throws ApiError {
        PendingCode pending = app.redeem(request.arg("code"));
        if (pending == null || !core.ids().now().isBefore(pending.expiresAt())) {
            throw new ApiError("invalid_code");
        }
        // The redirect_uri must repeat the one of the authorize request, when that named one
        // (https://api.slack.com/methods/oauth.v2.access, argument redirect_uri).
        if (!pending.redirectUri().isEmpty() && !pending.redirectUri().equals(request.arg("redirect_uri"))) {
            throw new ApiError("bad_redirect_uri");
        }
        if (pending.existing() != null) {
            return existing(app, pending);
        }
        return installer.install(app, pending);
    }

    /** The answer for a code of an installation made in code, with its bot token as it is. */
    private ObjectNode existing(AppState app, PendingCode pending) {
        Installation installation = pending.existing();
        TeamState team = core.team(installation.teamId());
        ObjectNode result = Json.object();
        result.put("access_token", installation.botToken().reveal());
        result.put("token_type", "bot");
        result.put("scope", DEFAULT_SCOPE);
        result.put("bot_user_id", installation.botUserId());
        result.put("app_id", app.id());
        ObjectNode teamObject = result.putObject("team");
        teamObject.put("name", team.name());
        teamObject.put("id", team.id());
        OAuthInstaller.putEnterprise(result, core.org(team.enterpriseId()));
        result.putObject("authed_user").put("id", pending.userId());
        result.put("is_enterprise_install", false);
        return result;
    }

    /**
     * A refresh: the old refresh token stops working and a new pair is issued, answered in the shape of
     * the installation's answer (https://docs.slack.dev/authentication/using-token-rotation).
     */
    private ObjectNode refresh(AppState app, String refreshToken) throws ApiError {
        Tokens.Chain chain = core.tokens().redeemRefreshToken(refreshToken);
        if (chain == null || !chain.appId().equals(app.id())) {
            throw new ApiError("invalid_refresh_token");
        }
        Duration lifetime = app.tokenLifetime() != null ? app.tokenLifetime() : OAuthInstaller.SLACK_LIFETIME;
        Instant expiresAt = core.ids().now().plus(lifetime);
        Tokens.Grant grant = core.tokens()
                .issueRotating(
                        chain.kind(),
                        chain.teamId(),
                        chain.enterpriseId(),
                        chain.userId(),
                        app.id(),
                        expiresAt,
                        chain,
                        core.ids().secret());
        Secret newRefresh = core.tokens().newRefreshToken(chain, core.ids().secret());
        boolean user = chain.kind() == Tokens.Kind.USER;
        ObjectNode result = Json.object();
        result.put("access_token", grant.token().reveal());
        result.put("token_type", user ? "user" : "bot");
        result.put("scope", chain.scope());
        if (!user) {
            result.put("bot_user_id", chain.userId());
        }
        result.put("app_id", app.id());
        TeamState team = core.team(chain.teamId());
        if (team == null) {
            result.putNull("team");
        } else {
            ObjectNode teamObject = result.putObject("team");
            teamObject.put("name", team.name());
            teamObject.put("id", team.id());
        }
        OAuthInstaller.putEnterprise(result, core.org(chain.enterpriseId()));
        result.put("is_enterprise_install", team == null);
        result.put("refresh_token", newRefresh.reveal());
        result.put("expires_in", lifetime.toSeconds());
        return result;
    }
}
