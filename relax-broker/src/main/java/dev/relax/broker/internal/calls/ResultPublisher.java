/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import dev.relax.core.protocol.CallKeys;
import dev.relax.core.protocol.CallOutcome;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * Publishes the result of something that is no call of the calls stream (an RTM bot's {@code message}
 * whose sender asked for Slack's answer) on {@code <calls>:results}, where call results go, without
 * storing it: an RTM-only deployment keeps exactly the Go broker's keys in Redis. The sender subscribed
 * before it published the command, so it hears the result unless its subscription was down at that moment.
 */
public final class ResultPublisher {
    private final RedisClusterCommands<String, String> redis;
    private final CallKeys keys;

    public ResultPublisher(RedisClusterCommands<String, String> redis, String callsKey) {
        this.redis = redis;
        this.keys = new CallKeys(callsKey);
    }

    /** Publishes {@code outcome}; blocking. */
    public void publish(CallOutcome outcome) {
        redis.publish(keys.results(), outcome.toJson());
    }
}
