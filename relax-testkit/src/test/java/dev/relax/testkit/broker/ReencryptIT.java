/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.EncryptionKeys;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.EmbeddedRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code java -jar relax-broker.jar reencrypt}: key rotation and the migration of plain text, through the jar. */
class ReencryptIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static String key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return Base64.getEncoder().encodeToString(key);
    }

    private static RelaxConfig config(String prefix, String keys, boolean bots) {
        return RelaxConfig.builder()
                .keysWithPrefix(prefix)
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .encryptionKeys(EncryptionKeys.parse(keys, "RELAX_ENCRYPTION_KEYS"))
                .encryptBotTokens(bots)
                .build();
    }

    private static Map<String, String> env(RelaxConfig config) {
        Map<String, String> env = new HashMap<>(config.toEnv());
        env.put("PATH", System.getenv().getOrDefault("PATH", ""));
        return env;
    }

    private static String field(String json, String name) throws Exception {
        return JSON.readTree(json).path(name).asText();
    }

    @Test
    void plainTextAndAnOlderKeyAreRewrittenUnderTheFirstKeyAndWhatCannotBeReadIsLeft() throws Exception {
        RelaxConfig plain = RelaxConfig.builder()
                .keysWithPrefix("re1")
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .build();
        RelaxConfig underK1 = config("re1", "k1:" + key(1), false);
        RelaxConfig underK0 = config("re1", "k0:" + key(9), false);
        RedisClusterCommands<String, String> r = redis.commands();
        r.hset(plain.appsKey(), "A1", RelaxJson.encodeApp(AppRegistration.eventsApi("A1", "sign-s3cret")));
        r.hset(
                plain.installationsKey(),
                "A1:T1",
                RelaxJson.encodeInstallation(
                        Installation.of("A1", "T1", "UB1", "xoxb-1-s3cret"), underK1.encryptionKeys()));
        r.hset(
                plain.installationsKey(),
                "A1:T2",
                RelaxJson.encodeInstallation(
                        Installation.of("A1", "T2", "UB2", "xoxb-2-s3cret"), underK0.encryptionKeys()));
        r.hset(plain.botsKey(), "T3", RelaxJson.encodeRegistration(BotRegistration.of("T3", "xoxb-3-s3cret")));
        RelaxConfig rotated = config("re1", "k2:" + key(2) + ",k1:" + key(1), false);

        BrokerJar.Run run = BrokerJar.run(env(rotated), "reencrypt");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stdout())
                .isEqualTo("apps: 1 rewritten, 0 already current, 0 unreadable (left as they are), 0 changed meanwhile"
                        + " (left as written)\n"
                        + "installations: 1 rewritten, 0 already current, 1 unreadable (left as they are), 0 changed"
                        + " meanwhile (left as written)\n"
                        + "bots: 0 rewritten, 1 already current, 0 unreadable (left as they are), 0 changed meanwhile"
                        + " (left as written)\n"
                        + "encrypted under key k2; bot tokens in plain text\n");
        assertThat(run.stdout() + run.stderr()).doesNotContain("s3cret");
        assertThat(field(r.hget(plain.appsKey(), "A1"), "signing_secret")).startsWith("enc:v1:k2:");
        assertThat(field(r.hget(plain.installationsKey(), "A1:T1"), "bot_token"))
                .startsWith("enc:v1:k2:");
        assertThat(field(r.hget(plain.installationsKey(), "A1:T2"), "bot_token"))
                .startsWith("enc:v1:k0:");
        assertThat(field(r.hget(plain.botsKey(), "T3"), "token")).isEqualTo("xoxb-3-s3cret");
        // k1 can go now: everything it sealed is under k2.
        RelaxConfig k2Only = config("re1", "k2:" + key(2), false);
        assertThat(RelaxJson.decodeInstallation(r.hget(plain.installationsKey(), "A1:T1"), k2Only.encryptionKeys())
                        .botToken()
                        .reveal())
                .isEqualTo("xoxb-1-s3cret");
        assertThat(RelaxJson.decodeApp(r.hget(plain.appsKey(), "A1"), k2Only.encryptionKeys())
                        .signingSecret()
                        .reveal())
                .isEqualTo("sign-s3cret");

        r.hdel(plain.installationsKey(), "A1:T2");
        BrokerJar.Run again = BrokerJar.run(env(config("re1", "k2:" + key(2), true)), "reencrypt");

        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout())
                .startsWith("apps: 0 rewritten, 1 already current,")
                .contains("installations: 0 rewritten, 1 already current,", "bots: 1 rewritten, 0 already current,")
                .endsWith("encrypted under key k2, bot tokens too\n");
        assertThat(field(r.hget(plain.botsKey(), "T3"), "token")).startsWith("enc:v1:k2:");
    }

    @Test
    void withoutKeysItRefusesAndSaysWhy() throws Exception {
        RelaxConfig plain = RelaxConfig.builder()
                .keysWithPrefix("re2")
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .build();

        BrokerJar.Run run = BrokerJar.run(env(plain), "reencrypt");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr())
                .contains("relax: reencrypt: reencrypt needs RELAX_ENCRYPTION_KEYS: the keys to encrypt under (the"
                        + " first) and to decrypt with");
    }
}
