/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelaxConfigTest {

    private static Map<String, String> goEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("RELAX_BOTS_KEY", "relax_bots_key");
        env.put("RELAX_BOTS_PUBSUB", "relax_bots_pubsub");
        env.put("RELAX_EVENTS_QUEUE", "relax_events_queue");
        env.put("RELAX_MUTEX_KEY", "relax_mutex_key");
        env.put("REDIS_HOST", "localhost:6379");
        return env;
    }

    @Test
    void readsTheGoBrokersReadmeEnvironmentWithDefaults() {
        RelaxConfig c = RelaxConfig.fromEnv(goEnv());

        assertThat(c.botsKey()).isEqualTo("relax_bots_key");
        assertThat(c.botsPubsub()).isEqualTo("relax_bots_pubsub");
        assertThat(c.eventsQueue()).isEqualTo("relax_events_queue");
        assertThat(c.mutexKey()).isEqualTo("relax_mutex_key");
        assertThat(c.redis()).isEqualTo(RedisAddress.of("localhost", 6379));
        assertThat(c.slackHost()).hasToString("https://slack.com");
        assertThat(c.port()).isZero();
        assertThat(c.sendBotReplies()).isFalse();
        assertThat(c.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(c.mutexMode()).isEqualTo(MutexMode.BOUNDED);
    }

    @Test
    void missingVariablesAreAllNamedInOneMessage() {
        Map<String, String> env = goEnv();
        env.remove("RELAX_EVENTS_QUEUE");
        env.remove("RELAX_MUTEX_KEY");
        env.remove("REDIS_HOST");

        assertThatThrownBy(() -> RelaxConfig.fromEnv(env))
                .isInstanceOf(RelaxException.ConfigException.class)
                .hasMessageContaining(
                        "RELAX_EVENTS_QUEUE, RELAX_MUTEX_KEY, REDIS_URL (or REDISCLOUD_URL, REDIS_SENTINELS or REDIS_HOST)");
    }

    @Test
    void blankVariableCountsAsMissing() {
        Map<String, String> env = goEnv();
        env.put("RELAX_BOTS_KEY", "  ");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(env)).hasMessageContaining("RELAX_BOTS_KEY");
    }

    @Test
    void rediscloudUrlWinsOverRedisUrlWhichWinsOverRedisHost() {
        Map<String, String> env = goEnv();
        env.put("REDIS_URL", "redis://:pw@url-host:6380/2");
        assertThat(RelaxConfig.fromEnv(env).redis())
                .isEqualTo(new RedisAddress("url-host", 6380, "", Secret.of("pw"), 2, false));

        env.put("REDISCLOUD_URL", "rediss://cloud:cpw@cloud-host:6390");
        RedisAddress cloud = RelaxConfig.fromEnv(env).redis();
        assertThat(cloud.host()).isEqualTo("cloud-host");
        assertThat(cloud.username()).isEqualTo("cloud");
        assertThat(cloud.password().reveal()).isEqualTo("cpw");
        assertThat(cloud.tls()).isTrue();
    }

    @Test
    void redisHostTakesPasswordFromRedisPasswordAndDefaultsThePort() {
        Map<String, String> env = goEnv();
        env.put("REDIS_HOST", "redis.internal");
        env.put("REDIS_PASSWORD", "s3cret");

        RedisAddress a = RelaxConfig.fromEnv(env).redis();

        assertThat(a.host()).isEqualTo("redis.internal");
        assertThat(a.port()).isEqualTo(6379);
        assertThat(a.password().reveal()).isEqualTo("s3cret");
        assertThat(a.toUrlWithPassword()).isEqualTo("redis://:s3cret@redis.internal:6379");
    }

    @Test
    void malformedRedisUrlIsNamedWithoutItsPassword() {
        Map<String, String> env = goEnv();
        env.put("REDIS_URL", "http://:hunter2@host:6379");

        assertThatThrownBy(() -> RelaxConfig.fromEnv(env))
                .hasMessageContaining("REDIS_URL must start with redis://, rediss:// or redis-sentinel://")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void malformedPortIsNamed() {
        Map<String, String> env = goEnv();
        env.put("PORT", "eighty");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(env))
                .isInstanceOf(RelaxException.ConfigException.class)
                .hasMessage("PORT must be a port number 0..65535, was 'eighty'");
        env.put("PORT", "70000");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(env)).hasMessageContaining("PORT");
    }

    @Test
    void optionalSwitchesAreRead() {
        Map<String, String> env = goEnv();
        env.put("PORT", "8080");
        env.put("RELAX_SEND_BOT_REPLIES", "true");
        env.put("RELAX_LOG_LEVEL", "debug");
        env.put("RELAX_MUTEX_MODE", "hash");
        env.put("SLACK_HOST", "http://127.0.0.1:9999/");

        RelaxConfig c = RelaxConfig.fromEnv(env);

        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.sendBotReplies()).isTrue();
        assertThat(c.logLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(c.mutexMode()).isEqualTo(MutexMode.HASH);
        assertThat(c.slackHost()).hasToString("http://127.0.0.1:9999");
    }

    @Test
    void malformedSwitchesAreNamedWithTheirValue() {
        Map<String, String> env = goEnv();
        env.put("RELAX_SEND_BOT_REPLIES", "sometimes");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(env))
                .hasMessage("RELAX_SEND_BOT_REPLIES must be true or false, was 'sometimes'");

        env.remove("RELAX_SEND_BOT_REPLIES");
        env.put("RELAX_LOG_LEVEL", "loud");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(env))
                .hasMessageContaining("RELAX_LOG_LEVEL")
                .hasMessageContaining("'loud'");

        env.remove("RELAX_LOG_LEVEL");
        env.put("RELAX_MUTEX_MODE", "lua");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(env))
                .hasMessageContaining("RELAX_MUTEX_MODE")
                .hasMessageContaining("'lua'");

        env.remove("RELAX_MUTEX_MODE");
        env.put("SLACK_HOST", "slack.com");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(env)).hasMessageContaining("SLACK_HOST");
    }

    @Test
    void toStringNeverShowsTheRedisPassword() {
        Map<String, String> env = goEnv();
        env.put("REDIS_URL", "redis://:hunter2@host:6379");

        RelaxConfig c = RelaxConfig.fromEnv(env);

        assertThat(c.toString()).contains("redis://:****@host:6379").doesNotContain("hunter2");
        assertThat(c.redis().password().toString()).doesNotContain("hunter2");
    }

    @Test
    void toEnvIsReadBackAsTheSameConfiguration() {
        RelaxConfig c = RelaxConfig.builder()
                .keysWithPrefix("app")
                .redis(new RedisAddress("127.0.0.1", 7000, "", Secret.of("p@ss word"), 3, false))
                .slackHost("http://127.0.0.1:1234")
                .port(8081)
                .sendBotReplies(true)
                .logLevel(LogLevel.WARN)
                .mutexMode(MutexMode.HASH)
                .build();

        RelaxConfig back = RelaxConfig.fromEnv(c.toEnv());

        assertThat(back.toString()).isEqualTo(c.toString());
        assertThat(back.redis().password().reveal()).isEqualTo("p@ss word");
    }

    @Test
    void encryptionKeysAreReadNamedByIdOnlyAndCarriedByToEnv() {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        Map<String, String> env = goEnv();
        env.put("RELAX_ENCRYPTION_KEYS", "k2:" + key + ", k1:" + key);
        env.put("RELAX_ENCRYPT_BOT_TOKENS", "true");

        RelaxConfig c = RelaxConfig.fromEnv(env);

        assertThat(c.encryptionKeys().ids()).containsExactly("k2", "k1");
        assertThat(c.encryptBotTokens()).isTrue();
        assertThat(c.botTokenKeys()).isSameAs(c.encryptionKeys());
        assertThat(c.toString())
                .contains("encryptionKeys=[k2, k1], encryptBotTokens=true")
                .doesNotContain(key);
        RelaxConfig back = RelaxConfig.fromEnv(c.toEnv());
        assertThat(back.encryptionKeys().ids()).containsExactly("k2", "k1");
        assertThat(back.encryptBotTokens()).isTrue();
        assertThat(RelaxConfig.fromEnv(goEnv()).botTokenKeys().enabled()).isFalse();

        env.remove("RELAX_ENCRYPTION_KEYS");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(env))
                .hasMessage("encryptBotTokens needs encryption keys (RELAX_ENCRYPTION_KEYS) to encrypt with");
    }

    @Test
    void builderNamesTheMissingOrBadField() {
        assertThatThrownBy(() -> RelaxConfig.builder().build()).hasMessageStartingWith("botsKey is not set");
        assertThatThrownBy(() -> RelaxConfig.builder().keysWithPrefix("a").build())
                .hasMessageStartingWith("redis is not set");
        assertThatThrownBy(() -> RelaxConfig.builder()
                        .keysWithPrefix("a")
                        .redis(RedisAddress.of("h", 1))
                        .port(-1)
                        .build())
                .hasMessage("port must be 0..65535, was -1");
        assertThatThrownBy(() -> RedisAddress.of("h", 0)).hasMessageContaining("Redis port must be 1..65535, was 0");
    }

    @Test
    void mutateKeepsEverythingButWhatIsChanged() {
        RelaxConfig c = RelaxConfig.fromEnv(goEnv());
        RelaxConfig d = c.mutate().port(9000).build();
        assertThat(d.port()).isEqualTo(9000);
        assertThat(d.botsKey()).isEqualTo(c.botsKey());
        assertThat(d.redis()).isEqualTo(c.redis());
    }

    @Test
    void urlWithPasswordRoundTripsEveryPartThroughItsOwnParser() {
        RedisAddress a = new RedisAddress("redis.internal", 6380, "app", Secret.of("p@ss:w/rd é"), 4, true);
        assertThat(RedisAddress.parseUrl(a.toUrlWithPassword(), "test")).isEqualTo(a);
    }
}
