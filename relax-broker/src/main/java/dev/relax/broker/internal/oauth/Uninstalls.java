/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Which events end an installation: {@code app_uninstalled} (https://docs.slack.dev/reference/events/app_uninstalled)
 * and a {@code tokens_revoked} (https://docs.slack.dev/reference/events/tokens_revoked) that names bot tokens.
 * The installation is the workspace's ({@code team_id}) or, when the event's authorization is an org-wide
 * install ({@code is_enterprise_install}), the organization's ({@code enterprise_id}). Pure.
 */
public final class Uninstalls {
    private Uninstalls() {}

    /**
     * The team (or, for an org-wide install, the organization) whose installation the Events API body
     * {@code body} ends, or empty when it ends none.
     */
    public static Optional<String> endedBy(JsonNode body) {
        JsonNode event = body.path("event");
        String type = event.path("type").asText("");
        boolean ends = type.equals("app_uninstalled")
                || (type.equals("tokens_revoked")
                        && event.path("tokens").path("bot").isArray()
                        && !event.path("tokens").path("bot").isEmpty());
        if (!ends) {
            return Optional.empty();
        }
        JsonNode authorization = body.path("authorizations").path(0);
        String place = authorization.path("is_enterprise_install").asBoolean(false)
                ? text(body, "enterprise_id", text(authorization, "enterprise_id", ""))
                : text(body, "team_id", text(event, "team", ""));
        return place.isEmpty() ? Optional.empty() : Optional.of(place);
    }

    /** The envelope's {@code event_time} (epoch seconds), 0 when it has none. */
    public static long eventTime(JsonNode body) {
        return body.path("event_time").canConvertToLong()
                ? body.path("event_time").asLong()
                : 0;
    }

    private static String text(JsonNode node, String field, String otherwise) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isEmpty() ? v.asText() : otherwise;
    }
}
