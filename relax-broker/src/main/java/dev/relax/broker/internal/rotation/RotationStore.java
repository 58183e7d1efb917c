/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.rotation;

import dev.relax.core.RelaxConfig;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.Command;
import dev.relax.core.protocol.Protocol;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;

/**
 * Every Redis step of token rotation: the installations and apps hashes, the per-installation refresh lock
 * ({@code <installations key>:refreshing:<app>:<team>}, holding the broker's id), and the compare-and-set
 * scripts that write a refreshed installation or remove a dead one and publish the command that says so
 * in the same step. On the broker's shared commands connection (thread-safe, never blocking).
 */
final class RotationStore {
    /** Replaces the field only if it still holds what was read, then publishes {@code installation_added}. */
    static final String REPLACE =
            """
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            redis.call('PUBLISH', ARGV[4], ARGV[5])
            return 1
            """;
    /**
     * Deletes the field only if it still holds what was read, then publishes {@code installation_removed}:
     * 1 for the one caller that removed it, so that the installation is disabled once across brokers.
     */
    static final String REMOVE =
            """
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[3], ARGV[4])
            return 1
            """;
    /** Deletes the lock only while this broker holds it (a lock that expired may be another's by now). */
    static final String UNLOCK =
            """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private static final int SCAN_COUNT = 100;

    private final RedisClusterCommands<String, String> redis;
    private final String installations;
    private final String apps;
    private final String commands;

    RotationStore(RedisClusterCommands<String, String> redis, RelaxConfig config) {
        this.redis = redis;
        this.installations = config.installationsKey();
        this.apps = config.appsKey();
        this.commands = config.botsPubsub();
    }

    /** The stored installation JSON of {@code field}, or null. */
    String installation(String field) {
        return redis.hget(installations, field);
    }

    /** The stored registration JSON of {@code appId}, or null. */
    String app(String appId) {
        return redis.hget(apps, appId);
    }

    /** One HSCAN step of the installations hash from {@code cursor} ({@link ScanCursor#INITIAL} first). */
    MapScanCursor<String, String> scan(ScanCursor cursor) {
        return redis.hscan(installations, cursor, ScanArgs.Builder.limit(SCAN_COUNT));
    }

    /** SET NX PX: whether {@code holder} now holds the refresh lock of {@code field}. */
    boolean lock(String field, String holder, Duration ttl) {
        return "OK"
                .equals(redis.set(lockKey(field), holder, SetArgs.Builder.nx().px(ttl.toMillis())));
    }

    /** Whether anyone holds the refresh lock of {@code field}. */
    boolean locked(String field) {
        Long n = redis.exists(lockKey(field));
        return n != null && n > 0;
    }

    void unlock(String field, String holder) {
        redis.eval(UNLOCK, ScriptOutputType.INTEGER, new String[] {lockKey(field)}, holder);
    }

    /** Writes {@code updated} over {@code read} and publishes {@code installation_added}; false if it changed. */
    boolean replace(String field, String read, String updated, String appId, String teamId) {
        Long n = redis.eval(
                REPLACE,
                ScriptOutputType.INTEGER,
                new String[] {installations},
                field,
                read,
                updated,
                commands,
                RelaxJson.encodeCommand(new Command.InstallationAdded(appId, teamId)));
        return n != null && n == 1;
    }

    /** Deletes {@code field} if it still holds {@code read} and publishes {@code installation_removed}. */
    boolean remove(String field, String read, String appId, String teamId) {
        Long n = redis.eval(
                REMOVE,
                ScriptOutputType.INTEGER,
                new String[] {installations},
                field,
                read,
                commands,
                RelaxJson.encodeCommand(new Command.InstallationRemoved(appId, teamId)));
        return n != null && n == 1;
    }

    private String lockKey(String field) {
        return installations + Protocol.REFRESHING_SUFFIX + field;
    }
}
