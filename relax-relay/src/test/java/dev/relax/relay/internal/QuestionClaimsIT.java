/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.testkit.EmbeddedRedis;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Marking a question answered survives Redis failing for a while; see Answerer's use of it. */
class QuestionClaimsIT {
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5));
    private static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    /** Redis's commands, except that the first {@code failures} calls of the FINISH script fail as a lost connection does. */
    @SuppressWarnings("unchecked")
    private static RedisClusterCommands<String, String> failingFinish(int failures, AtomicInteger finishCalls) {
        RedisClusterCommands<String, String> real = redis.commands();
        return (RedisClusterCommands<String, String>) Proxy.newProxyInstance(
                QuestionClaimsIT.class.getClassLoader(),
                new Class<?>[] {RedisClusterCommands.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("eval")
                            && String.valueOf(args[0]).contains("local holder")
                            && finishCalls.incrementAndGet() <= failures) {
                        throw new RedisConnectionException("Connection closed");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void finishingIsRetriedUntilRedisTakesIt() throws InterruptedException {
        AtomicInteger finishCalls = new AtomicInteger();
        QuestionClaims claims =
                new QuestionClaims(failingFinish(2, finishCalls), "qc1", "relay-a", Duration.ofSeconds(30));
        assertThat(claims.acquire("A1:T1:C1:1.000100")).isInstanceOf(QuestionClaims.Acquired.class);

        assertThat(claims.finishRetrying("A1:T1:C1:1.000100", 8, QUICK)).isTrue();

        assertThat(finishCalls).hasValue(3);
        assertThat(claims.acquire("A1:T1:C1:1.000100")).isInstanceOf(QuestionClaims.Answered.class);
        assertThat(redis.commands().exists("qc1:relay:{A1:T1:C1:1.000100}:claim"))
                .isZero();
    }

    @Test
    void finishingGivesUpAfterItsTriesAndLeavesTheClaimToLapse() throws InterruptedException {
        AtomicInteger finishCalls = new AtomicInteger();
        QuestionClaims claims =
                new QuestionClaims(failingFinish(100, finishCalls), "qc2", "relay-a", Duration.ofSeconds(30));
        assertThat(claims.acquire("A1:T1:C1:2.000100")).isInstanceOf(QuestionClaims.Acquired.class);

        assertThat(claims.finishRetrying("A1:T1:C1:2.000100", 4, QUICK)).isFalse();

        assertThat(finishCalls).hasValue(4);
        assertThat(redis.commands().get("qc2:relay:{A1:T1:C1:2.000100}:claim")).isEqualTo("relay-a");
        assertThat(redis.commands().exists("qc2:relay:{A1:T1:C1:2.000100}:answered"))
                .isZero();
    }
}
