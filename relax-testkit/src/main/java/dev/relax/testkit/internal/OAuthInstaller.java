/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.core.Secret;
import dev.relax.testkit.Channel;
import dev.relax.testkit.OAuthInstallation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Turns an approved OAuth code into a real installation, as {@code App.install} makes one: the bot user
 * in the workspace (in every workspace of the organization for an org-wide install), its token, a user
 * token when user scopes were granted, and with token rotation refresh tokens; then answers as
 * oauth.v2.access does (https://api.slack.com/methods/oauth.v2.access, and for org-wide installs
 * https://api.slack.com/enterprise/apps/reference: {@code team} is null there).
 */
final class OAuthInstaller {
    /** Slack's access token lifetime with token rotation: 12 hours. */
    static final Duration SLACK_LIFETIME = Duration.ofHours(12);

    private final SimulatorCore core;

    OAuthInstaller(SimulatorCore core) {
        this.core = core;
    }

    ObjectNode install(AppState app, PendingCode pending) throws ApiError {
        List<TeamState> teams =
                pending.orgInstall() ? core.teamsOf(pending.enterpriseId()) : List.of(core.team(pending.teamId()));
        if (teams.isEmpty() || teams.getFirst() == null) {
            throw new ApiError("invalid_code");
        }
        String teamId = pending.orgInstall() ? "" : pending.teamId();
        String enterpriseId =
                pending.orgInstall() ? pending.enterpriseId() : teams.getFirst().enterpriseId();
        Installation previous = app.installation(teams.getFirst().id());
        String botUserId = previous != null ? previous.botUserId() : core.ids().next(pending.orgInstall() ? "W" : "U");
        String botName = app.id().toLowerCase(Locale.ROOT) + "-bot";
        Instant expiresAt = app.expiry();

        Tokens.Grant bot = issue(Tokens.Kind.APP_BOT, teamId, enterpriseId, botUserId, app, expiresAt, pending.scope());
        for (TeamState team : teams) {
            addMember(
                    team,
                    new Member(
                            botUserId,
                            botName,
                            botName,
                            "B" + botUserId.substring(1),
                            core.ids().epochSeconds()));
            Installation installation =
                    new Installation(app, team.id(), botUserId, bot.token(), team.enterpriseId(), pending.orgInstall());
            app.install(installation);
            team.installations().removeIf(existing -> existing.app() == app);
            team.installations().add(installation);
        }
        Tokens.Grant user = pending.userScope().isEmpty()
                ? null
                : issue(Tokens.Kind.USER, teamId, enterpriseId, pending.userId(), app, expiresAt, pending.userScope());

        ObjectNode result = Json.object();
        result.put("access_token", bot.token().reveal());
        result.put("token_type", "bot");
        result.put("scope", pending.scope());
        result.put("bot_user_id", botUserId);
        result.put("app_id", app.id());
        if (pending.orgInstall()) {
            result.putNull("team");
        } else {
            ObjectNode team = result.putObject("team");
            team.put("name", teams.getFirst().name());
            team.put("id", teams.getFirst().id());
        }
        putEnterprise(result, core.org(enterpriseId));
        result.put("is_enterprise_install", pending.orgInstall());
        ObjectNode authed = result.putObject("authed_user");
        authed.put("id", pending.userId());
        Secret refresh = Secret.of("");
        if (bot.chain() != null) {
            refresh = core.tokens().newRefreshToken(bot.chain(), core.ids().secret());
            result.put("refresh_token", refresh.reveal());
            result.put("expires_in", app.tokenLifetime().toSeconds());
        }
        if (user != null) {
            authed.put("scope", pending.userScope());
            authed.put("access_token", user.token().reveal());
            authed.put("token_type", "user");
            if (user.chain() != null) {
                authed.put(
                        "refresh_token",
                        core.tokens()
                                .newRefreshToken(user.chain(), core.ids().secret())
                                .reveal());
                authed.put("expires_in", app.tokenLifetime().toSeconds());
            }
        }
        app.record(new OAuthInstallation(
                core.ids().now(),
                app.id(),
                teamId,
                enterpriseId,
                pending.orgInstall(),
                botUserId,
                pending.userId(),
                pending.scope(),
                pending.userScope(),
                bot.token(),
                user == null ? Secret.of("") : user.token(),
                refresh));
        return result;
    }

    private Tokens.Grant issue(
            Tokens.Kind kind,
            String teamId,
            String enterpriseId,
            String userId,
            AppState app,
            Instant expiresAt,
            String scope) {
        if (expiresAt != null) {
            Tokens.Grant grant = core.tokens()
                    .issueRotating(
                            kind,
                            teamId,
                            enterpriseId,
                            userId,
                            app.id(),
                            expiresAt,
                            null,
                            core.ids().secret());
            grant.chain().scope(scope);
            return grant;
        }
        String prefix = kind == Tokens.Kind.USER ? "xoxp-" : "xoxb-";
        String token = prefix + Math.abs((teamId + enterpriseId).hashCode()) + "-" + Math.abs(userId.hashCode()) + "-"
                + core.ids().secret().substring(0, 24);
        return core.tokens().issue(kind, teamId, enterpriseId, userId, app.id(), token);
    }

    /** Adds the bot user to the workspace and to each of its channels, as a new member joins them. */
    private static void addMember(TeamState team, Member bot) {
        Member member = team.addMember(bot);
        for (ChannelInfo channel : team.channels()) {
            if (channel.type() != Channel.Type.IM) {
                channel.members().add(member.id());
            }
        }
    }

    /** {@code enterprise}: the organization's id and name, or null outside Enterprise Grid. */
    static void putEnterprise(ObjectNode result, OrgState org) {
        if (org == null) {
            result.putNull("enterprise");
        } else {
            ObjectNode enterprise = result.putObject("enterprise");
            enterprise.put("name", org.name());
            enterprise.put("id", org.id());
        }
    }
}
