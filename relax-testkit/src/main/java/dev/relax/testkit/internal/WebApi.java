/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes a Web API call (https://api.slack.com/web): rate limits and refusals first, then token checks
 * with Slack's error names ({@code not_authed}, {@code invalid_auth}, {@code token_revoked}, {@code
 * account_inactive}, {@code not_allowed_token_type}), then the method. Thread-safe.
 */
public final class WebApi {
    /** Which tokens a method accepts. */
    enum Access {
        NONE,
        BOT,
        CLASSIC_BOT,
        APP_LEVEL
    }

    /** Who called: the token's grant and, for bot tokens, its workspace and bot user. */
    record Caller(Tokens.Grant grant, TeamState team, Member bot) {}

    @FunctionalInterface
    interface Method {
        ObjectNode call(ApiRequest request, Caller caller) throws ApiError;
    }

    private record Spec(Access access, Method method) {}

    /** Methods that open connections: these fail while the simulator refuses connections. */
    private static final Set<String> CONNECTING = Set.of("rtm.connect", "rtm.start", "apps.connections.open");

    private final SimulatorCore core;
    private final Map<String, Spec> methods = new HashMap<>();

    public WebApi(SimulatorCore core) {
        this.core = core;
        ConnectMethods connect = new ConnectMethods(core);
        ChatMethods chat = new ChatMethods(core);
        ThreadMethods threads = new ThreadMethods(core);
        methods.put("auth.test", new Spec(Access.BOT, connect::authTest));
        methods.put("bots.info", new Spec(Access.BOT, connect::botsInfo));
        methods.put("rtm.connect", new Spec(Access.CLASSIC_BOT, connect::rtmConnect));
        methods.put("rtm.start", new Spec(Access.CLASSIC_BOT, connect::rtmStart));
        methods.put("apps.connections.open", new Spec(Access.APP_LEVEL, connect::appsConnectionsOpen));
        methods.put("oauth.v2.access", new Spec(Access.NONE, new OAuthAccess(core)::access));
        methods.put("users.info", new Spec(Access.BOT, connect::usersInfo));
        methods.put("conversations.info", new Spec(Access.BOT, connect::conversationsInfo));
        methods.put("chat.postMessage", new Spec(Access.BOT, chat::postMessage));
        methods.put("chat.update", new Spec(Access.BOT, chat::update));
        methods.put("chat.startStream", new Spec(Access.BOT, chat::startStream));
        methods.put("chat.appendStream", new Spec(Access.BOT, chat::appendStream));
        methods.put("chat.stopStream", new Spec(Access.BOT, chat::stopStream));
        methods.put("assistant.threads.setStatus", new Spec(Access.BOT, threads::setStatus));
        methods.put("conversations.replies", new Spec(Access.BOT, threads::replies));
    }

    public ApiResponse handle(ApiRequest request) {
        long retryAfter = core.faults().retryAfterSeconds(request.method());
        if (retryAfter > 0) {
            // https://api.slack.com/apis/rate-limits: HTTP 429 with Retry-After in seconds.
            return ApiResponse.error(429, "ratelimited", retryAfter);
        }
        if (core.faults().takeServerError(request.method())) {
            return ApiResponse.error(500, "internal_error", 0);
        }
        if (CONNECTING.contains(request.method()) && core.faults().refusingConnections()) {
            return ApiResponse.error(503, "service_unavailable", 0);
        }
        Spec spec = methods.get(request.method());
        if (spec == null) {
            return ApiResponse.error("unknown_method");
        }
        if (request.malformed()) {
            return ApiResponse.error("invalid_json");
        }
        try {
            return ApiResponse.ok(spec.method().call(request, authenticate(spec.access(), request)));
        } catch (ApiError e) {
            return ApiResponse.error(e.status(), e.error(), e.retryAfterSeconds());
        }
    }

    private Caller authenticate(Access access, ApiRequest request) throws ApiError {
        if (access == Access.NONE) {
            return new Caller(null, null, null);
        }
        if (request.token().isEmpty()) {
            throw new ApiError("not_authed");
        }
        Tokens.Grant grant = core.tokens().find(request.token());
        if (grant == null) {
            throw new ApiError("invalid_auth");
        }
        if (grant.state() != Tokens.State.ACTIVE) {
            throw new ApiError(grant.state().error());
        }
        if (grant.expired(core.ids().now())) {
            // https://docs.slack.dev/authentication/using-token-rotation: an expired access token is refused
            // with token_expired until the app exchanges its refresh token for a new one.
            throw new ApiError("token_expired");
        }
        boolean allowed =
                switch (access) {
                    case BOT -> grant.isBot();
                    case CLASSIC_BOT -> grant.kind() == Tokens.Kind.CLASSIC_BOT;
                    case APP_LEVEL -> grant.kind() == Tokens.Kind.APP_LEVEL;
                    case NONE -> true;
                };
        if (!allowed) {
            throw new ApiError("not_allowed_token_type");
        }
        if (!grant.isBot()) {
            return new Caller(grant, null, null);
        }
        TeamState team = grant.teamId().isEmpty() ? orgTeam(grant.enterpriseId(), request) : core.team(grant.teamId());
        return new Caller(grant, team, team.member(grant.userId()));
    }

    /**
     * The workspace an org-wide token acts on: the {@code team_id} argument, else the workspace of the
     * {@code channel} argument, else the organization's first workspace. Slack requires {@code team_id} of
     * org-wide tokens for some methods only (https://api.slack.com/enterprise/apps/changes-apis).
     */
    private TeamState orgTeam(String enterpriseId, ApiRequest request) throws ApiError {
        List<TeamState> teams = core.teamsOf(enterpriseId);
        if (teams.isEmpty()) {
            throw new ApiError("team_access_not_granted");
        }
        String teamId = request.arg("team_id");
        if (!teamId.isEmpty()) {
            return teams.stream()
                    .filter(team -> team.id().equals(teamId))
                    .findFirst()
                    .orElseThrow(() -> new ApiError("team_access_not_granted"));
        }
        String channel = request.arg("channel");
        return teams.stream()
                .filter(team -> team.channel(channel) != null)
                .findFirst()
                .orElse(teams.getFirst());
    }
}
