/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relax.core.RedisAddress.Mode;
import dev.relax.core.RedisAddress.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sentinel and Cluster addresses: the URL and environment forms, and the cluster's one-slot key rule. */
class RedisTopologyTest {
    private static Map<String, String> keys(String bots, String events, String mutex) {
        Map<String, String> env = new HashMap<>();
        env.put("RELAX_BOTS_KEY", bots);
        env.put("RELAX_BOTS_PUBSUB", "relax_pubsub");
        env.put("RELAX_EVENTS_QUEUE", events);
        env.put("RELAX_MUTEX_KEY", mutex);
        return env;
    }

    private static Map<String, String> tagged() {
        return keys("{relax}:bots", "{relax}:events", "{relax}:mutex");
    }

    @Test
    void sentinelUrlNamesTheSentinelsThePrimaryAndThePassword() {
        RedisAddress a =
                RedisAddress.parseUrl("redis-sentinel://:s3cret@s1:26380,s2,[::1]:26381/2#mymaster", "REDIS_URL");
        assertThat(a.mode()).isEqualTo(Mode.SENTINEL);
        assertThat(a.nodes()).containsExactly(new Node("s1", 26380), new Node("s2", 26379), new Node("::1", 26381));
        assertThat(a.sentinelPrimary()).isEqualTo("mymaster");
        assertThat(a.password().reveal()).isEqualTo("s3cret");
        assertThat(a.database()).isEqualTo(2);
        assertThat(a.toString()).isEqualTo("redis-sentinel://:****@s1:26380,s2:26379,[::1]:26381/2#mymaster");
        assertThat(a.toClientUrl())
                .isEqualTo("redis-sentinel://:s3cret@s1:26380,s2:26379,[::1]:26381/2?timeout=10s#mymaster");
        assertThat(RedisAddress.parseUrl(a.toUrlWithPassword(), "x")).isEqualTo(a);
    }

    @Test
    void sentinelUrlWithoutPrimaryIsRefusedWithoutItsPassword() {
        assertThatThrownBy(() -> RedisAddress.parseUrl("redis-sentinel://:hunter2@s1:26379", "REDIS_URL"))
                .hasMessage("REDIS_URL names no primary; add #primaryName (the name the Sentinels monitor):"
                        + " redis-sentinel://****@s1:26379");
    }

    @Test
    void sentinelEnvironmentForm() {
        Map<String, String> env = keys("b", "q", "m");
        env.put("REDIS_SENTINELS", "10.0.0.1:26379, 10.0.0.2");
        env.put("REDIS_SENTINEL_MASTER", "relax-primary");
        env.put("REDIS_PASSWORD", "pw");
        RedisAddress a = RelaxConfig.fromEnv(env).redis();
        assertThat(a)
                .isEqualTo(new RedisAddress(
                        Mode.SENTINEL,
                        List.of(new Node("10.0.0.1", 26379), new Node("10.0.0.2", 26379)),
                        "relax-primary",
                        "",
                        Secret.of("pw"),
                        0,
                        false));
        env.remove("REDIS_SENTINEL_MASTER");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(env))
                .hasMessageContaining("missing environment variable: REDIS_SENTINEL_MASTER (the name the Sentinels in"
                        + " REDIS_SENTINELS monitor the primary under)");
    }

    @Test
    void clusterFromSeveralHostsOrFromRedisCluster() {
        Map<String, String> env = tagged();
        env.put("REDIS_URL", "redis://:pw@n1:7000,n2:7001");
        RelaxConfig c = RelaxConfig.fromEnv(env);
        assertThat(c.redis().mode()).isEqualTo(Mode.CLUSTER);
        assertThat(c.redis().toClusterSeedUrls())
                .containsExactly("redis://:pw@n1:7000?timeout=10s", "redis://:pw@n2:7001?timeout=10s");
        assertThat(c.toEnv())
                .containsEntry("REDIS_URL", "redis://:pw@n1:7000,n2:7001")
                .containsEntry("REDIS_CLUSTER", "true");
        assertThat(RelaxConfig.fromEnv(c.toEnv()).redis()).isEqualTo(c.redis());

        Map<String, String> one = tagged();
        one.put("REDIS_HOST", "n1:7000");
        one.put("REDIS_CLUSTER", "true");
        assertThat(RelaxConfig.fromEnv(one).redis().mode()).isEqualTo(Mode.CLUSTER);
        one.put("REDIS_HOST", "n1:7000,n2:7001");
        one.put("REDIS_CLUSTER", "false");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(one))
                .hasMessage(
                        "REDIS_CLUSTER is false but the Redis address names several hosts, which only a cluster has");
    }

    @Test
    void clusterWithADatabaseIsRefused() {
        Map<String, String> env = tagged();
        env.put("REDIS_URL", "redis://n1:7000,n2:7001/3");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(env))
                .hasMessage("REDIS_URL Redis Cluster address names database 3; a cluster has only database 0:"
                        + " redis://n1:7000,n2:7001/3");
    }

    @Test
    void clusterKeysWithoutACommonHashTagAreRefusedNamingThemAndTheFix() {
        Map<String, String> env = keys("{relax}:bots", "relax_events", "{other}:mutex");
        env.put("REDIS_URL", "redis://n1:7000");
        env.put("REDIS_CLUSTER", "true");
        assertThatThrownBy(() -> RelaxConfig.fromEnv(env))
                .hasMessage("Redis Cluster keys do not share one hash slot, so Relax's scripts would fail with"
                        + " CROSSSLOT: RELAX_BOTS_KEY={relax}:bots (tag {relax}), RELAX_EVENTS_QUEUE=relax_events (no"
                        + " hash tag), RELAX_MUTEX_KEY={other}:mutex (tag {other}), RELAX_APPS_KEY={relax}:bots:apps"
                        + " (tag {relax}), RELAX_INSTALLATIONS_KEY={relax}:bots:installations (tag {relax}),"
                        + " RELAX_CALLS_KEY={relax}:bots:calls (tag {relax}). Give every key the same hash tag, e.g."
                        + " RELAX_BOTS_KEY={relax}:bots RELAX_EVENTS_QUEUE={relax}:events RELAX_MUTEX_KEY={relax}:mutex"
                        + " (keys left unset follow RELAX_BOTS_KEY); see docs/operations.md, \"Redis Cluster\"");
        // The same keys on one server are fine: the rule is the cluster's.
        env.remove("REDIS_CLUSTER");
        assertThat(RelaxConfig.fromEnv(env).redis().mode()).isEqualTo(Mode.STANDALONE);
    }

    @Test
    void hashTagFollowsTheClusterSpecification() {
        assertThat(ClusterKeys.hashTag("{relax}:events")).isEqualTo("relax");
        assertThat(ClusterKeys.hashTag("events{relax}")).isEqualTo("relax");
        assertThat(ClusterKeys.hashTag("{}relax{x}")).isNull();
        assertThat(ClusterKeys.hashTag("{relax")).isNull();
        assertThat(ClusterKeys.hashTag("a{b}{c}")).isEqualTo("b");
        assertThat(ClusterKeys.hashTag("plain")).isNull();
    }
}
