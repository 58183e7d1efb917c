/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

import dev.relax.core.RelaxException;
import dev.relax.core.Secret;
import java.util.Objects;

/**
 * A bot as stored with {@code HSET $RELAX_BOTS_KEY <field> <json>}:
 * {@code {"team_id":"TDEADBEEF","token":"xoxb-...","provider":"slack","namespace":""}}.
 * The token never appears in {@link #toString()}.
 *
 * @param teamId the Slack team id, never empty
 * @param token the bot token the broker connects with
 * @param provider {@code slack}, the default
 * @param namespace lets several apps share one fleet and one team; empty when unused
 */
public record BotRegistration(String teamId, Secret token, String provider, String namespace) {

    public BotRegistration {
        if (teamId == null || teamId.isBlank()) {
            throw RelaxException.badSetting("team_id", "must not be empty in a bot registration");
        }
        token = token == null ? Secret.of("") : token;
        provider = provider == null || provider.isEmpty() ? Protocol.PROVIDER_SLACK : provider;
        namespace = namespace == null ? "" : namespace;
    }

    /** A registration with the default provider and no namespace. */
    public static BotRegistration of(String teamId, String token) {
        return new BotRegistration(teamId, Secret.of(token), Protocol.PROVIDER_SLACK, "");
    }

    /** This registration with another namespace. */
    public BotRegistration withNamespace(String namespace) {
        return new BotRegistration(teamId, token, provider, namespace);
    }

    /** The bot this registration describes. */
    public BotId id() {
        return new BotId(teamId, namespace);
    }

    /** The field of the bots hash this registration is stored under. */
    public String hashField() {
        return id().hashField();
    }

    @Override
    public String toString() {
        return "BotRegistration[teamId=" + teamId + ", token=" + token + ", provider=" + provider + ", namespace="
                + namespace + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BotRegistration other
                && teamId.equals(other.teamId)
                && token.equals(other.token)
                && provider.equals(other.provider)
                && namespace.equals(other.namespace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(teamId, token, provider, namespace);
    }
}
