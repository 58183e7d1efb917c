/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import static dev.relax.core.protocol.Protocol.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@link RelaxConfig} as the Go broker's environment variables, both ways: {@link RelaxConfig#fromEnv(Map)}
 * and {@link RelaxConfig#toEnv()}. Errors name the variable, never its secret value.
 */
final class ConfigEnvironment {
    private ConfigEnvironment() {}

    /** See {@link RelaxConfig#fromEnv(Map)}. */
    static RelaxConfig read(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        List<String> missing = new ArrayList<>();
        RelaxConfig.Builder b = RelaxConfig.builder();
        b.botsKey(required(env, ENV_BOTS_KEY, missing));
        b.botsPubsub(required(env, ENV_BOTS_PUBSUB, missing));
        b.eventsQueue(required(env, ENV_EVENTS_QUEUE, missing));
        b.mutexKey(required(env, ENV_MUTEX_KEY, missing));

        RedisAddress redis = null;
        if (present(env, ENV_REDISCLOUD_URL)) {
            redis = RedisAddress.parseUrl(env.get(ENV_REDISCLOUD_URL), ENV_REDISCLOUD_URL);
        } else if (present(env, ENV_REDIS_URL)) {
            redis = RedisAddress.parseUrl(env.get(ENV_REDIS_URL), ENV_REDIS_URL);
        } else if (present(env, ENV_REDIS_SENTINELS)) {
            if (!present(env, ENV_REDIS_SENTINEL_MASTER)) {
                missing.add(ENV_REDIS_SENTINEL_MASTER + " (the name the Sentinels in " + ENV_REDIS_SENTINELS
                        + " monitor the primary under)");
            } else {
                redis = (RedisAddress.sentinel(
                                RedisAddress.parseNodes(
                                        env.get(ENV_REDIS_SENTINELS),
                                        RedisAddress.DEFAULT_SENTINEL_PORT,
                                        ENV_REDIS_SENTINELS),
                                env.get(ENV_REDIS_SENTINEL_MASTER).trim())
                        .withPassword(Secret.of(env.get(ENV_REDIS_PASSWORD))));
            }
        } else if (present(env, ENV_REDIS_HOST)) {
            redis = (RedisAddress.parseHostPort(
                    env.get(ENV_REDIS_HOST), Secret.of(env.get(ENV_REDIS_PASSWORD)), ENV_REDIS_HOST));
        } else {
            missing.add(ENV_REDIS_URL + " (or " + ENV_REDISCLOUD_URL + ", " + ENV_REDIS_SENTINELS + " or "
                    + ENV_REDIS_HOST + ")");
        }
        if (present(env, ENV_REDIS_CLUSTER) && redis != null) {
            boolean cluster = parseBoolean(env.get(ENV_REDIS_CLUSTER), ENV_REDIS_CLUSTER);
            if (cluster) {
                redis = redis.asCluster();
            } else if (redis.mode() == RedisAddress.Mode.CLUSTER) {
                throw RelaxException.badSetting(
                        ENV_REDIS_CLUSTER,
                        "is false but the Redis address names several" + " hosts, which only a cluster has");
            }
        }
        if (redis != null) {
            b.redis(redis);
        }
        if (!missing.isEmpty()) {
            throw new RelaxException.ConfigException("missing environment variable"
                    + (missing.size() > 1 ? "s: " : ": ")
                    + String.join(", ", missing)
                    + ". Relax needs the four Redis keys (" + ENV_BOTS_KEY + ", " + ENV_BOTS_PUBSUB + ", "
                    + ENV_EVENTS_QUEUE + ", " + ENV_MUTEX_KEY + ") and the Redis address.");
        }
        if (present(env, ENV_SLACK_HOST)) {
            b.slackHost(env.get(ENV_SLACK_HOST).trim(), ENV_SLACK_HOST);
        }
        if (present(env, ENV_PORT)) {
            b.port(parsePort(env.get(ENV_PORT).trim(), ENV_PORT));
        }
        if (present(env, ENV_SEND_BOT_REPLIES)) {
            b.sendBotReplies(parseBoolean(env.get(ENV_SEND_BOT_REPLIES), ENV_SEND_BOT_REPLIES));
        }
        if (present(env, ENV_LOG_LEVEL)) {
            b.logLevel(LogLevel.parse(env.get(ENV_LOG_LEVEL), ENV_LOG_LEVEL));
        }
        if (present(env, ENV_APPS_KEY)) {
            b.appsKey(env.get(ENV_APPS_KEY).trim());
        }
        if (present(env, ENV_INSTALLATIONS_KEY)) {
            b.installationsKey(env.get(ENV_INSTALLATIONS_KEY).trim());
        }
        if (present(env, ENV_CALLS_KEY)) {
            b.callsKey(env.get(ENV_CALLS_KEY).trim());
        }
        if (present(env, ENV_ENCRYPTION_KEYS)) {
            b.encryptionKeys(EncryptionKeys.parse(env.get(ENV_ENCRYPTION_KEYS), ENV_ENCRYPTION_KEYS));
        }
        if (present(env, ENV_ENCRYPT_BOT_TOKENS)) {
            b.encryptBotTokens(parseBoolean(env.get(ENV_ENCRYPT_BOT_TOKENS), ENV_ENCRYPT_BOT_TOKENS));
        }
        if (env.get(ENV_MUTEX_MODE) != null) {
            b.mutexMode(MutexMode.parse(env.get(ENV_MUTEX_MODE), ENV_MUTEX_MODE));
        }
        return b.build();
    }

    /** See {@link RelaxConfig#toEnv()}. */
    static Map<String, String> write(RelaxConfig config) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_BOTS_KEY, config.botsKey());
        env.put(ENV_BOTS_PUBSUB, config.botsPubsub());
        env.put(ENV_EVENTS_QUEUE, config.eventsQueue());
        env.put(ENV_MUTEX_KEY, config.mutexKey());
        env.put(ENV_REDIS_URL, config.redis().toUrlWithPassword());
        if (config.redis().mode() == RedisAddress.Mode.CLUSTER) {
            env.put(ENV_REDIS_CLUSTER, "true");
        }
        env.put(ENV_SLACK_HOST, config.slackHost().toString());
        env.put(ENV_PORT, Integer.toString(config.port()));
        env.put(ENV_SEND_BOT_REPLIES, Boolean.toString(config.sendBotReplies()));
        env.put(ENV_LOG_LEVEL, config.logLevel().name().toLowerCase(Locale.ROOT));
        env.put(ENV_MUTEX_MODE, config.mutexMode() == MutexMode.HASH ? "hash" : "");
        env.put(ENV_APPS_KEY, config.appsKey());
        env.put(ENV_INSTALLATIONS_KEY, config.installationsKey());
        env.put(ENV_CALLS_KEY, config.callsKey());
        if (config.encryptionKeys().enabled()) {
            env.put(ENV_ENCRYPTION_KEYS, config.encryptionKeys().spec());
            env.put(ENV_ENCRYPT_BOT_TOKENS, Boolean.toString(config.encryptBotTokens()));
        }
        return env;
    }

    private static boolean present(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    private static String required(Map<String, String> env, String name, List<String> missing) {
        if (!present(env, name)) {
            missing.add(name);
            return null;
        }
        return env.get(name).trim();
    }

    private static int parsePort(String value, String setting) {
        try {
            int p = Integer.parseInt(value);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw RelaxException.badSetting(setting, "must be a port number 0..65535, was '" + value + "'");
    }

    private static boolean parseBoolean(String value, String setting) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw RelaxException.badSetting(setting, "must be true or false, was '" + value + "'");
        };
    }
}
