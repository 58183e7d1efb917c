/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;

/**
 * The two Redis commands the {@link EventWriter} runs, so that unit tests can stand in for Redis;
 * {@link #lettuce} is the broker's.
 */
interface ScriptCommands {
    /** SCRIPT LOAD: the script's SHA. */
    String scriptLoad(String script);

    /** EVALSHA with an integer answer; throws {@link RedisNoScriptException} when Redis forgot the script. */
    long evalsha(String sha, String[] keys, String[] args);

    /** The commands on a Lettuce connection (read when a command runs, not before). */
    static ScriptCommands lettuce(RedisConnection redis) {
        return new ScriptCommands() {
            @Override
            public String scriptLoad(String script) {
                return redis.sync().scriptLoad(script);
            }

            @Override
            public long evalsha(String sha, String[] keys, String[] args) {
                Long n = redis.sync().evalsha(sha, ScriptOutputType.INTEGER, keys, args);
                return n == null ? 0 : n;
            }
        };
    }
}
