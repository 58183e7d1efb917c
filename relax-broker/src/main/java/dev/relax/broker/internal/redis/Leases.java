/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;

/**
 * Expiring leases in Redis, each held by one broker instance: {@code SET key <instance> NX PX ttl} to
 * take one, a compare-and-expire to renew it, a compare-and-delete to give it back. A broker that dies
 * stops renewing and its leases lapse after the TTL, so another broker takes over. Also the registry
 * of live brokers, a sorted set scored by when each broker's heartbeat expires, by Redis's clock.
 */
public final class Leases {
    /** KEYS[1] lease; ARGV[1] instance, ARGV[2] TTL ms. 1 when this instance holds the lease afterwards. */
    static final String RENEW =
            """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """;

    /** KEYS[1] lease; ARGV[1] holder. Deletes the lease only when this holder holds it. */
    static final String RELEASE =
            """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    /**
     * KEYS[1] registry; ARGV[1] instance, ARGV[2] TTL ms. Returns the live brokers. Scores come from
     * Redis's own clock ({@code TIME}), so that brokers whose clocks disagree still see each other alive.
     * A write after {@code TIME} is allowed because scripts replicate their effects, not the script (the
     * default since Redis 5, the only mode since 7: https://redis.io/docs/latest/develop/interact/programmability/eval-intro/#script-replication).
     */
    static final String HEARTBEAT =
            """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return redis.call('ZCARD', KEYS[1])
            """;

    private final RedisConnection redis;
    private final String instanceId;

    public Leases(RedisConnection redis, String instanceId) {
        this.redis = redis;
        this.instanceId = instanceId;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Takes the lease if it is free (or renews it if this instance holds it); throws when Redis fails. */
    public boolean acquire(String key, Duration ttl) {
        String ok = redis.sync().set(key, instanceId, SetArgs.Builder.nx().px(ttl.toMillis()));
        return "OK".equals(ok) || renew(key, ttl);
    }

    /** Extends the lease if this instance still holds it; false when it lapsed or another holds it. */
    public boolean renew(String key, Duration ttl) {
        Long n = redis.sync()
                .eval(RENEW, ScriptOutputType.INTEGER, new String[] {key}, instanceId, Long.toString(ttl.toMillis()));
        return n != null && n == 1L;
    }

    /** Gives the lease back if this instance holds it. */
    public void release(String key) {
        release(key, instanceId);
    }

    /**
     * Takes the lease for {@code holder} if it is free ({@code SET NX PX}); never renews. For a lease
     * held apart from this instance's others, e.g. by one piece of work that several threads of this
     * broker may want at once. Throws when Redis fails.
     */
    public boolean take(String key, String holder, Duration ttl) {
        return "OK".equals(redis.sync().set(key, holder, SetArgs.Builder.nx().px(ttl.toMillis())));
    }

    /** Gives the lease back if {@code holder} holds it. */
    public void release(String key, String holder) {
        redis.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key}, holder);
    }

    /**
     * Records this broker as alive for {@code ttl} and returns how many brokers are alive (at least 1),
     * by Redis's clock.
     */
    public long heartbeat(String registry, Duration ttl) {
        Long n = redis.sync()
                .eval(
                        HEARTBEAT,
                        ScriptOutputType.INTEGER,
                        new String[] {registry},
                        instanceId,
                        Long.toString(ttl.toMillis()));
        return n == null ? 1 : Math.max(1, n);
    }

    /** Removes this broker from the registry (on shutdown). */
    public void leave(String registry) {
        redis.sync().zrem(registry, instanceId);
    }
}
