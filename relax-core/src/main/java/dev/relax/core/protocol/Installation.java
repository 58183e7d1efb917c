/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

import dev.relax.core.RelaxException;
import dev.relax.core.Secret;

/**
 * An app installed in one workspace, as stored with {@code HSET <installations key> <app id>:<team id>
 * <json>}: {@code {"app_id":"A0123","team_id":"T0123","bot_user_id":"U0BOT","bot_token":"xoxb-..."}}.
 * The broker names {@code relax_bot_uid} from it and calls the Web API with its token. The token never
 * appears in {@link #toString()}.
 *
 * @param appId the app, never empty
 * @param teamId the workspace, never empty
 * @param botUserId the app's bot user in that workspace ({@code U…}), or empty when unknown
 * @param botToken the bot token ({@code xoxb-…}) from {@code oauth.v2.access}
 */
public record Installation(String appId, String teamId, String botUserId, Secret botToken) {

    public Installation {
        if (appId == null || appId.isBlank()) {
            throw RelaxException.badSetting(Protocol.FIELD_APP_ID, "must not be empty in an installation");
        }
        if (teamId == null || teamId.isBlank()) {
            throw RelaxException.badSetting(Protocol.FIELD_TEAM_ID, "must not be empty in an installation");
        }
        botUserId = botUserId == null ? "" : botUserId;
        botToken = botToken == null ? Secret.of("") : botToken;
    }

    public static Installation of(String appId, String teamId, String botUserId, String botToken) {
        return new Installation(appId, teamId, botUserId, Secret.of(botToken));
    }

    /** The field of the installations hash: {@code <app id>:<team id>}. */
    public String hashField() {
        return hashField(appId, teamId);
    }

    public static String hashField(String appId, String teamId) {
        return appId + ":" + teamId;
    }

    @Override
    public String toString() {
        return "Installation[appId=" + appId + ", teamId=" + teamId + ", botUserId=" + botUserId + ", botToken="
                + botToken + "]";
    }
}
