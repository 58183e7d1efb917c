/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.broker.internal.oauth.OAuthStore;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.Secret;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.EmbeddedRedis;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An uninstall event removes only an installation made before it: Slack retries an undelivered {@code
 * app_uninstalled} (Events API retries, Socket Mode redeliveries) possibly after the workspace installed the
 * app again, and that new installation must stay.
 */
class UninstallAfterReinstallIT {
    private static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static RelaxConfig config(String prefix) {
        return RelaxConfig.builder()
                .keysWithPrefix(prefix)
                .redis(RedisAddress.of(redis.host(), redis.port()))
                .build();
    }

    private static void install(RelaxConfig config, long installedAt) {
        Installation installation = Installation.builder("AUR1", "TUR1")
                .bot("UBUR1", Secret.of("xoxb-ur1"), "chat:write")
                .installedAt(installedAt == 0 ? null : Instant.ofEpochSecond(installedAt))
                .build();
        redis.commands().hset(config.installationsKey(), "AUR1:TUR1", RelaxJson.encodeInstallation(installation));
    }

    @Test
    void anUninstallFromBeforeTheInstallLeavesItAndALaterOneRemovesIt() {
        RelaxConfig config = config("ur1");
        OAuthStore store = new OAuthStore(redis.commands(), config);
        install(config, 1_800_000_000L);

        assertThat(store.remove("AUR1", "TUR1", 1_799_999_990L)).isFalse();
        assertThat(redis.commands().hexists(config.installationsKey(), "AUR1:TUR1"))
                .isTrue();

        assertThat(store.remove("AUR1", "TUR1", 1_800_000_005L)).isTrue();
        assertThat(redis.commands().hexists(config.installationsKey(), "AUR1:TUR1"))
                .isFalse();
        assertThat(store.remove("AUR1", "TUR1", 1_800_000_005L)).isFalse();
    }

    @Test
    void anInstallationAddedByHandOrAnEventWithoutTimeIsRemoved() {
        RelaxConfig config = config("ur2");
        OAuthStore store = new OAuthStore(redis.commands(), config);
        install(config, 0);
        assertThat(store.remove("AUR1", "TUR1", 1_000L)).isTrue();

        install(config, 1_800_000_000L);
        assertThat(store.remove("AUR1", "TUR1", 0)).isTrue();
    }
}
