package dev.relax.broker.internal.redis;

import dev.relax.core.MutexMode;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The cross-broker claims that are not events: which broker sends a {@code message} command, and the Go
 * broker's {@code bot-<team>-started} marker.
 *
 * <p>A send is claimed with {@code HSETNX <mutex key> send_slack_message:<id> ok} in
 * {@link MutexMode#HASH} (the contract's field, shared with Go brokers), and with an expiring
 * {@code SET <mutex key>:send_slack_message:<id> ok NX EX <ttl>} by default, so that the mutex hash
 * does not grow with every message.
 */
public final class SendClaims {
    private final StatefulRedisConnection<String, String> redis;
    private final String mutexKey;
    private final MutexMode mode;
    private final Duration ttl;

    public SendClaims(StatefulRedisConnection<String, String> redis, String mutexKey, MutexMode mode, Duration ttl) {
        this.redis = redis;
        this.mutexKey = mutexKey;
        this.mode = mode;
        this.ttl = ttl;
    }

    /** Completes with true when this broker won the right to send; fails when Redis fails. */
    public CompletionStage<Boolean> claim(String field) {
        if (mode == MutexMode.HASH) {
            return redis.async().hsetnx(mutexKey, field, "ok");
        }
        return redis.async()
                .set(mutexKey + ":" + field, "ok", SetArgs.Builder.nx().ex(Math.max(1, ttl.toSeconds())))
                .thenApply("OK"::equals);
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
