/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import dev.relax.core.MutexMode;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The cross-broker claims that are not events: which broker sends a {@code message} command, and the Go
 * broker's {@code bot-<team>-started} marker.
 *
 * <p>A send is claimed with {@code HSETNX <mutex key> send_slack_message:<id> ok} in
 * {@link MutexMode#HASH} (the contract's field, shared with Go brokers), and by default with an expiring
 * key {@code <mutex key>:send_slack_message:<id>} holding this broker's instance id, so that the mutex
 * hash does not grow with every message.
 */
public final class SendClaims {
    private final RedisConnection redis;
    private final String mutexKey;
    private final MutexMode mode;
    private final Duration ttl;
    /** Tells this broker's claims from other brokers': the broker id. */
    private final String instanceId;

    public SendClaims(RedisConnection redis, String mutexKey, MutexMode mode, Duration ttl, String brokerId) {
        this.redis = redis;
        this.instanceId = brokerId;
        this.mutexKey = mutexKey;
        this.mode = mode;
        this.ttl = ttl;
    }

    /**
     * KEYS[1] claim key; ARGV[1] this broker's instance id, ARGV[2] TTL seconds. A claim this broker
     * already holds counts as won: a retry after a Redis timeout (the SET may have run) must not lose the
     * message to nobody.
     */
    static final String CLAIM_SCRIPT =
            """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return 1 end
            if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
            return 0
            """;

    /**
     * Completes with true when this broker won the right to send; fails when Redis fails. In
     * {@link MutexMode#HASH} the field's value is the Go broker's {@code ok}, so a retry after a timeout
     * cannot tell its own claim from another broker's (the Go broker's own limitation).
     */
    public CompletionStage<Boolean> claim(String field) {
        if (mode == MutexMode.HASH) {
            return redis.async().hsetnx(mutexKey, field, "ok");
        }
        return redis.async()
                .<Long>eval(
                        CLAIM_SCRIPT,
                        io.lettuce.core.ScriptOutputType.INTEGER,
                        new String[] {mutexKey + ":" + field},
                        instanceId,
                        Long.toString(Math.max(1, ttl.toSeconds())))
                .thenApply(n -> n != null && n == 1L);
    }

    /**
     * {@code HSET <mutex key> bot-<team>-started <n>}, as the Go broker does when a bot connects ({@code n}
     * is the nanosecond within the current second, as Go's {@code time.Now().Nanosecond()}). Tools written
     * for the Go broker wait for this field.
     */
    public CompletionStage<Boolean> markStarted(String teamId, int nanoOfSecond) {
        return redis.async().hset(mutexKey, "bot-" + teamId + "-started", Integer.toString(nanoOfSecond));
    }
}
