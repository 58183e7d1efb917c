/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

/**
 * The Lua scripts with which {@link EventWriter} pushes a batch of events, each checked against its dedupe
 * entry and pushed only when that entry was new, atomically: one script per {@link
 * dev.relax.core.MutexMode}.
 */
final class EventScripts {
    private EventScripts() {}

    /**
     * KEYS[1] queue, KEYS[2..] dedupe keys; ARGV[1] TTL seconds, ARGV[2..] events. Check, push, then mark:
     * Redis does not roll back a script that fails half-way, so an event is marked only once it is on the
     * queue (a failed push leaves it unmarked and the retry pushes it).
     */
    static final String BOUNDED =
            """
            local pushed = 0
            for i = 2, #KEYS do
              if redis.call('EXISTS', KEYS[i]) == 0 then
                redis.call('RPUSH', KEYS[1], ARGV[i])
                redis.call('SET', KEYS[i], '1', 'EX', ARGV[1])
                pushed = pushed + 1
              end
            end
            return pushed
            """;

    /** KEYS[1] queue, KEYS[2] mutex hash; ARGV pairs of hash field and event. Check, push, then mark. */
    static final String HASH =
            """
            local pushed = 0
            for i = 1, #ARGV, 2 do
              if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0 then
                redis.call('RPUSH', KEYS[1], ARGV[i + 1])
                redis.call('HSET', KEYS[2], ARGV[i], 'ok')
                pushed = pushed + 1
              end
            end
            return pushed
            """;
}
