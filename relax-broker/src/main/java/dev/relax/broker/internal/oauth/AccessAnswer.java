/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.core.Secret;
import dev.relax.core.protocol.Installation;
import java.time.Instant;

/**
 * The installation in an {@code oauth.v2.access} answer (https://docs.slack.dev/reference/methods/oauth.v2.access),
 * stored as Slack returned it: the workspace ({@code team}) or, for an Enterprise Grid org-wide install
 * ({@code is_enterprise_install}), the organization; the bot's user, token and scopes; the installing user
 * and, when user scopes were granted, their token; with token rotation the refresh tokens and expiries
 * ({@code now + expires_in}). Pure.
 */
final class AccessAnswer {
    private AccessAnswer() {}

    /** The installation of {@code appId} that {@code body} describes, received at {@code now}. */
    static Installation installation(String appId, JsonNode body, Instant now) {
        boolean orgWide = body.path("is_enterprise_install").asBoolean(false);
        String enterpriseId = text(body.path("enterprise"), "id");
        Installation.Builder b = Installation.builder(appId, orgWide ? "" : text(body.path("team"), "id"))
                .bot(text(body, "bot_user_id"), Secret.of(text(body, "access_token")), text(body, "scope"))
                .enterprise(enterpriseId, orgWide)
                .installedAt(now);
        JsonNode user = body.path("authed_user");
        b.installer(text(user, "id"));
        if (!text(user, "access_token").isEmpty()) {
            b.user(Secret.of(text(user, "access_token")), text(user, "scope"));
            if (!text(user, "refresh_token").isEmpty()) {
                b.userRotation(Secret.of(text(user, "refresh_token")), expiry(user, now));
            }
        }
        if (!text(body, "refresh_token").isEmpty()) {
            b.botRotation(Secret.of(text(body, "refresh_token")), expiry(body, now));
        }
        return b.build();
    }

    /** Where the app was installed, for the success page: the workspace's name, else the organization's. */
    static String where(JsonNode body) {
        boolean orgWide = body.path("is_enterprise_install").asBoolean(false);
        JsonNode place = orgWide ? body.path("enterprise") : body.path("team");
        String name = text(place, "name");
        return name.isEmpty() ? text(place, "id") : name;
    }

    private static Instant expiry(JsonNode node, Instant now) {
        return node.path("expires_in").canConvertToLong()
                ? now.plusSeconds(node.path("expires_in").asLong())
                : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : "";
    }
}
