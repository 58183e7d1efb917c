/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import static dev.relax.core.protocol.Protocol.OAUTH_STATE_SUFFIX;
import static dev.relax.core.protocol.Protocol.ORG_TEAMS_SUFFIX;

import dev.relax.core.RelaxConfig;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.Command;
import dev.relax.core.protocol.Installation;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;

/**
 * What the install flow keeps in Redis: the single-use states ({@code <installations key>:oauth_state:<state>},
 * the app id, with a TTL) and the installations, each written or deleted together with its command on
 * {@code RELAX_BOTS_PUBSUB} by one script, so that no broker sees one without the other (relax-client's
 * {@code addInstallation} does the same, with a script too). Runs on the broker's shared commands connection, which
 * it does not close; blocking, for the HTTP server's and the workers' threads.
 */
public final class OAuthStore {
    /** HSET the installation, then PUBLISH installation_added. */
    private static final String SAVE =
            "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]); redis.call('PUBLISH', ARGV[4], ARGV[3]); return 1";
    /** HDEL the installation and, only when it was there, PUBLISH installation_removed: once in a fleet. */
    /**
     * KEYS: installations. ARGV: field, command, channel, event time. An installation made after the event
     * (Slack retrying an uninstall from before a reinstall) stays.
     */
    private static final String REMOVE =
            """
            local stored = redis.call('HGET', KEYS[1], ARGV[1])
            if not stored then return 0 end
            local ok, doc = pcall(cjson.decode, stored)
            if ok and type(doc) == 'table' and tonumber(doc['installed_at']) and tonumber(ARGV[4]) > 0
                and tonumber(doc['installed_at']) > tonumber(ARGV[4]) then
              return 0
            end
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[3], ARGV[2])
            return 1
            """;

    private final RedisClusterCommands<String, String> redis;
    private final RelaxConfig config;

    public OAuthStore(RedisClusterCommands<String, String> redis, RelaxConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** The key of {@code state}: derived from the installations key, so a deployment's prefix covers it. */
    public String stateKey(String state) {
        return config.installationsKey() + OAUTH_STATE_SUFFIX + state;
    }

    /** Remembers {@code state} for an install of {@code appId}, for {@code ttl}. */
    void putState(String state, String appId, Duration ttl) {
        redis.set(stateKey(state), appId, SetArgs.Builder.px(ttl.toMillis()));
    }

    /** The app of {@code state}, which is gone from then on; null when expired, unknown or used. */
    String takeState(String state) {
        return redis.getdel(stateKey(state));
    }

    /** Stores {@code installation} (its secrets sealed) and publishes {@code installation_added}, atomically. */
    void save(Installation installation) {
        String field = installation.hashField();
        String command = RelaxJson.encodeCommand(new Command.InstallationAdded(installation.appId(), place(field)));
        redis.eval(
                SAVE,
                ScriptOutputType.INTEGER,
                new String[] {config.installationsKey()}, // the channel is no key: one slot on Redis Cluster
                field,
                RelaxJson.encodeInstallation(installation, config.encryptionKeys()),
                command,
                config.botsPubsub());
    }

    /**
     * Deletes the installation of {@code appId} in {@code teamOrEnterprise} and, when it was there, publishes
     * {@code installation_removed}, atomically; true when this call deleted it.
     */
    public boolean remove(String appId, String teamOrEnterprise, long eventTime) {
        String command = RelaxJson.encodeCommand(new Command.InstallationRemoved(appId, teamOrEnterprise));
        Long n = redis.eval(
                REMOVE,
                ScriptOutputType.INTEGER,
                new String[] {config.installationsKey()},
                Installation.hashField(appId, teamOrEnterprise),
                command,
                config.botsPubsub(),
                Long.toString(eventTime));
        return n != null && n == 1;
    }

    /** Records that {@code teamId} is served by the org-wide installation of {@code appId} in {@code enterpriseId}. */
    public void noteOrgTeam(String appId, String teamId, String enterpriseId) {
        redis.hset(config.installationsKey() + ORG_TEAMS_SUFFIX, Installation.hashField(appId, teamId), enterpriseId);
    }

    /** The team or organization part of an installations hash field {@code <app>:<team>}. */
    private static String place(String field) {
        return field.substring(field.indexOf(':') + 1);
    }
}
