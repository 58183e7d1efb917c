/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import static dev.relax.core.protocol.Protocol.*;

import dev.relax.core.internal.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Objects;

/**
 * The settings that the broker and clients share: the four Redis keys of the protocol, where Redis is,
 * where Slack is, and the broker's switches. Immutable; build one with {@link #builder()} or read the
 * Go broker's environment with {@link #fromEnv(Map)}.
 *
 * <pre>{@code
 * RelaxConfig config = RelaxConfig.builder()
 *         .botsKey("relax_bots_key").botsPubsub("relax_bots_pubsub")
 *         .eventsQueue("relax_events_queue").mutexKey("relax_mutex_key")
 *         .redis(RedisAddress.of("localhost", 6379))
 *         .build();
 * }</pre>
 */
public final class RelaxConfig {
    /** The HTTP port used when {@code PORT} is unset: 0, any free port. */
    public static final int DEFAULT_PORT = 0;

    private final String botsKey;
    private final String botsPubsub;
    private final String eventsQueue;
    private final String mutexKey;
    private final RedisAddress redis;
    private final URI slackHost;
    private final int port;
    private final boolean sendBotReplies;
    private final LogLevel logLevel;
    private final MutexMode mutexMode;
    private final String appsKey;
    private final String installationsKey;
    private final String callsKey;
    private final EncryptionKeys encryptionKeys;
    private final boolean encryptBotTokens;

    private RelaxConfig(Builder b) {
        this.botsKey = b.botsKey;
        this.botsPubsub = b.botsPubsub;
        this.eventsQueue = b.eventsQueue;
        this.mutexKey = b.mutexKey;
        this.redis = b.redis;
        this.slackHost = b.slackHost;
        this.port = b.port;
        this.sendBotReplies = b.sendBotReplies;
        this.logLevel = b.logLevel;
        this.mutexMode = b.mutexMode;
        this.appsKey = b.appsKey;
        this.installationsKey = b.installationsKey;
        this.callsKey = b.callsKey;
        this.encryptionKeys = b.encryptionKeys;
        this.encryptBotTokens = b.encryptBotTokens;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the Go broker's environment. Fails with a {@link RelaxException.ConfigException} that names
     * every missing variable, or the first malformed one.
     *
     * <p>Redis: {@code REDISCLOUD_URL} if set, else {@code REDIS_URL} ({@code redis://}, {@code rediss://} or
     * {@code redis-sentinel://}), else {@code REDIS_SENTINELS} with {@code REDIS_SENTINEL_MASTER}, else
     * {@code REDIS_HOST} ({@code host:port}); {@code REDIS_PASSWORD} with the last two. {@code
     * REDIS_CLUSTER=true} reads the address as the seed nodes of a Redis Cluster (as does a {@code redis://}
     * URL or {@code REDIS_HOST} listing several hosts), whose keys must then share a hash tag.
     */
    public static RelaxConfig fromEnv(Map<String, String> env) {
        return ConfigEnvironment.read(env);
    }

    /**
     * This configuration as the Go broker's environment variables, the inverse of {@link #fromEnv(Map)}:
     * for starting a broker process. The Redis URL carries the password.
     */
    public Map<String, String> toEnv() {
        return ConfigEnvironment.write(this);
    }

    /** The Redis hash with one field per bot ({@code RELAX_BOTS_KEY}). */
    public String botsKey() {
        return botsKey;
    }

    /** The pub/sub channel for commands ({@code RELAX_BOTS_PUBSUB}). */
    public String botsPubsub() {
        return botsPubsub;
    }

    /** The list brokers RPUSH events onto ({@code RELAX_EVENTS_QUEUE}). */
    public String eventsQueue() {
        return eventsQueue;
    }

    /** The hash brokers use to act once across the fleet ({@code RELAX_MUTEX_KEY}). */
    public String mutexKey() {
        return mutexKey;
    }

    /** The hash of Slack app registrations ({@code RELAX_APPS_KEY}, default {@code <bots key>:apps}). */
    public String appsKey() {
        return appsKey;
    }

    /**
     * The hash of app installations, one field {@code <app id>:<team id>} each ({@code
     * RELAX_INSTALLATIONS_KEY}, default {@code <bots key>:installations}).
     */
    public String installationsKey() {
        return installationsKey;
    }

    /**
     * The stream of Web API calls brokers make for apps, and the prefix of their result keys ({@code
     * RELAX_CALLS_KEY}, default {@code <bots key>:calls}).
     */
    public String callsKey() {
        return callsKey;
    }

    public RedisAddress redis() {
        return redis;
    }

    /** Slack's Web API base; calls go to {@code <slackHost>/api/<method>}. */
    public URI slackHost() {
        return slackHost;
    }

    /** The broker's HTTP port; 0 means any free port. */
    public int port() {
        return port;
    }

    /** Whether messages the bot wrote itself are emitted too. */
    public boolean sendBotReplies() {
        return sendBotReplies;
    }

    public LogLevel logLevel() {
        return logLevel;
    }

    public MutexMode mutexMode() {
        return mutexMode;
    }

    /**
     * The keys that encrypt the secrets of apps and installations in Redis ({@code RELAX_ENCRYPTION_KEYS});
     * none by default, when they are stored in plain text.
     */
    public EncryptionKeys encryptionKeys() {
        return encryptionKeys;
    }

    /**
     * Whether RTM bot tokens in the bots hash are encrypted too ({@code RELAX_ENCRYPT_BOT_TOKENS}): off by
     * default, since the Go broker and its clients read that hash.
     */
    public boolean encryptBotTokens() {
        return encryptBotTokens;
    }

    /** The keys bot registrations are written with: {@link #encryptionKeys()} when encrypting them, else none. */
    public EncryptionKeys botTokenKeys() {
        return encryptBotTokens ? encryptionKeys : EncryptionKeys.none();
    }

    /** A builder that starts from this configuration. */
    public Builder mutate() {
        Builder b = new Builder();
        b.botsKey = botsKey;
        b.botsPubsub = botsPubsub;
        b.eventsQueue = eventsQueue;
        b.mutexKey = mutexKey;
        b.redis = redis;
        b.slackHost = slackHost;
        b.port = port;
        b.sendBotReplies = sendBotReplies;
        b.logLevel = logLevel;
        b.mutexMode = mutexMode;
        b.encryptionKeys = encryptionKeys;
        b.encryptBotTokens = encryptBotTokens;
        // Keys derived from the bots key stay derived, so that a changed bots key moves them too.
        b.appsKey = appsKey.equals(botsKey + ":apps") ? null : appsKey;
        b.installationsKey = installationsKey.equals(botsKey + ":installations") ? null : installationsKey;
        b.callsKey = callsKey.equals(botsKey + ":calls") ? null : callsKey;
        return b;
    }

    @Override
    public String toString() {
        return "RelaxConfig[botsKey=" + botsKey + ", botsPubsub=" + botsPubsub + ", eventsQueue=" + eventsQueue
                + ", mutexKey=" + mutexKey + ", redis=" + redis + ", slackHost="
                + Redaction.redact(slackHost.toString())
                + ", port=" + port
                + ", sendBotReplies=" + sendBotReplies + ", logLevel=" + logLevel + ", mutexMode=" + mutexMode
                + ", appsKey=" + appsKey + ", installationsKey=" + installationsKey + ", callsKey=" + callsKey
                + ", encryptionKeys=" + encryptionKeys.ids() + ", encryptBotTokens=" + encryptBotTokens + "]";
    }

    /** Builds a {@link RelaxConfig}; {@link #build()} checks every value and names the one that is wrong. */
    public static final class Builder {
        private String botsKey;
        private String botsPubsub;
        private String eventsQueue;
        private String mutexKey;
        private RedisAddress redis;
        private URI slackHost = URI.create(DEFAULT_SLACK_HOST);
        private int port = DEFAULT_PORT;
        private boolean sendBotReplies;
        private LogLevel logLevel = LogLevel.INFO;
        private MutexMode mutexMode = MutexMode.BOUNDED;
        private String appsKey;
        private String installationsKey;
        private String callsKey;
        private EncryptionKeys encryptionKeys = EncryptionKeys.none();
        private boolean encryptBotTokens;

        private Builder() {}

        /** The keys that encrypt secrets in Redis; {@link EncryptionKeys#none()} by default. */
        public Builder encryptionKeys(EncryptionKeys v) {
            encryptionKeys = v;
            return this;
        }

        /** Whether RTM bot tokens are encrypted too; needs {@link #encryptionKeys}. */
        public Builder encryptBotTokens(boolean v) {
            encryptBotTokens = v;
            return this;
        }

        /** The apps hash; unset, it is {@code <bots key>:apps}. */
        public Builder appsKey(String v) {
            appsKey = v;
            return this;
        }

        /** The installations hash; unset, it is {@code <bots key>:installations}. */
        public Builder installationsKey(String v) {
            installationsKey = v;
            return this;
        }

        /** The calls stream; unset, it is {@code <bots key>:calls}. */
        public Builder callsKey(String v) {
            callsKey = v;
            return this;
        }

        public Builder botsKey(String v) {
            botsKey = v;
            return this;
        }

        public Builder botsPubsub(String v) {
            botsPubsub = v;
            return this;
        }

        public Builder eventsQueue(String v) {
            eventsQueue = v;
            return this;
        }

        public Builder mutexKey(String v) {
            mutexKey = v;
            return this;
        }

        /** Sets the four protocol keys to {@code prefix_bots}, {@code prefix_pubsub}, {@code prefix_events}, {@code prefix_mutex}. */
        public Builder keysWithPrefix(String prefix) {
            return botsKey(prefix + "_bots")
                    .botsPubsub(prefix + "_pubsub")
                    .eventsQueue(prefix + "_events")
                    .mutexKey(prefix + "_mutex");
        }

        public Builder redis(RedisAddress v) {
            redis = v;
            return this;
        }

        public Builder slackHost(URI v) {
            slackHost = v;
            return this;
        }

        /** Parses and sets the Slack base URL, such as {@code http://127.0.0.1:8080}. */
        public Builder slackHost(String v) {
            return slackHost(v, "slackHost");
        }

        /** Parses and sets the Slack base URL; errors name {@code setting} (an environment variable, say). */
        Builder slackHost(String v, String setting) {
            try {
                URI uri = new URI(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw RelaxException.badSetting(
                            setting, "must be an absolute http(s) URL, was '" + Redaction.redactUrl(v) + "'");
                }
                slackHost = uri;
                return this;
            } catch (URISyntaxException e) {
                throw RelaxException.badSetting(setting, "is not a valid URL: '" + Redaction.redactUrl(v) + "'");
            }
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder sendBotReplies(boolean v) {
            sendBotReplies = v;
            return this;
        }

        public Builder logLevel(LogLevel v) {
            logLevel = v;
            return this;
        }

        public Builder mutexMode(MutexMode v) {
            mutexMode = v;
            return this;
        }

        public RelaxConfig build() {
            requireKey("botsKey", botsKey);
            requireKey("botsPubsub", botsPubsub);
            requireKey("eventsQueue", eventsQueue);
            requireKey("mutexKey", mutexKey);
            if (redis == null) {
                throw RelaxException.missingSetting("redis", "the Redis address (RedisAddress.of(host, port))");
            }
            if (slackHost == null || !("http".equals(slackHost.getScheme()) || "https".equals(slackHost.getScheme()))) {
                throw RelaxException.badSetting(
                        "slackHost",
                        "must be an http(s) URL, was '" + Redaction.redactUrl(String.valueOf(slackHost)) + "'");
            }
            if (port < 0 || port > 65535) {
                throw RelaxException.badSetting("port", "must be 0..65535, was " + port);
            }
            Objects.requireNonNull(logLevel, "logLevel");
            Objects.requireNonNull(mutexMode, "mutexMode");
            Objects.requireNonNull(encryptionKeys, "encryptionKeys");
            if (encryptBotTokens && !encryptionKeys.enabled()) {
                throw RelaxException.badSetting(
                        "encryptBotTokens", "needs encryption keys (RELAX_ENCRYPTION_KEYS) to encrypt with");
            }
            if (appsKey == null || appsKey.isBlank()) {
                appsKey = botsKey + ":apps";
            }
            if (installationsKey == null || installationsKey.isBlank()) {
                installationsKey = botsKey + ":installations";
            }
            if (callsKey == null || callsKey.isBlank()) {
                callsKey = botsKey + ":calls";
            }
            RelaxConfig config = new RelaxConfig(this);
            if (redis.mode() == RedisAddress.Mode.CLUSTER) {
                ClusterKeys.check(config);
            }
            return config;
        }

        private static void requireKey(String name, String value) {
            if (value == null || value.isBlank()) {
                throw RelaxException.missingSetting(name, "every Relax deployment names its four Redis keys");
            }
        }
    }
}
