package dev.relax.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.client.CallResult;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the futures of calls this client queued: from the results brokers PUBLISH on {@code
 * <calls>:results}, and from the result keys {@code <calls>:result:<id>} (read after subscribing, and again
 * after every re-subscription, since pub/sub keeps nothing for a subscriber that was away). Subscribes on
 * first use, on its own pub/sub connection, which {@link #close()} closes.
 */
public final class CallTracker extends RedisPubSubAdapter<String, String> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallTracker.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisClient redis;
    private final StatefulRedisConnection<String, String> commands;
    private final String resultsChannel;
    private final String resultKeyPrefix;
    /** Futures of calls not finished yet, by call id. */
    private final Map<String, CompletableFuture<CallResult>> pending = new ConcurrentHashMap<>();
    /** Created on first use; guarded by this. */
    private StatefulRedisPubSubConnection<String, String> pubsub;

    private volatile boolean closed;

    /** {@code commands} is the client's shared connection, not closed here. */
    public CallTracker(RedisClient redis, StatefulRedisConnection<String, String> commands, String callsKey) {
        this.redis = redis;
        this.commands = commands;
        this.resultsChannel = callsKey + ":results";
        this.resultKeyPrefix = callsKey + ":result:";
    }

    /** A future for call {@code id}; subscribed before it returns, so queue the call after this. */
    public CompletableFuture<CallResult> track(String id) {
        CompletableFuture<CallResult> future = pending.computeIfAbsent(id, k -> new CompletableFuture<>());
        future.whenComplete((r, e) -> pending.remove(id, future));
        subscribe();
        check(id);
        return future;
    }

    /** The stored result of call {@code id}, if a broker finished it within the last day. */
    public Optional<CallResult> stored(String id) {
        return Optional.ofNullable(commands.sync().get(resultKeyPrefix + id)).flatMap(CallTracker::decode);
    }

    /** Reads a result as brokers write it; empty when it is not one. */
    public static Optional<CallResult> decode(String json) {
        try {
            JsonNode r = JSON.readTree(json);
            if (r == null || !r.isObject() || r.path("id").asText("").isEmpty()) {
                return Optional.empty();
            }
            JsonNode response = r.path("response");
            return Optional.of(new CallResult(
                    r.path("id").asText(),
                    r.path("ok").asBoolean(false),
                    r.path("method").asText(""),
                    r.path("channel").asText(""),
                    r.path("ts").asText(""),
                    r.path("error").asText(""),
                    r.path("attempts").asInt(0),
                    response.isObject() ? response.toString() : "{}"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private synchronized void subscribe() {
        if (pubsub != null || closed) {
            return;
        }
        StatefulRedisPubSubConnection<String, String> p = redis.connectPubSub();
        p.addListener(this);
        p.sync().subscribe(resultsChannel);
        pubsub = p;
    }

    /** Completes {@code id}'s future from its result key, if there is one yet. */
    private void check(String id) {
        commands.async().get(resultKeyPrefix + id).thenAccept(raw -> {
            if (raw != null) {
                decode(raw).ifPresent(this::complete);
            }
        });
    }

    private void complete(CallResult result) {
        CompletableFuture<CallResult> future = pending.get(result.id());
        if (future != null) {
            future.complete(result);
        }
    }

    @Override
    public void message(String channel, String message) {
        if (!resultsChannel.equals(channel)) {
            return;
        }
        Optional<CallResult> result = decode(message);
        if (result.isEmpty()) {
            log.warn("a message on {} is not a call result; ignored", resultsChannel);
            return;
        }
        complete(result.get());
    }

    @Override
    public void subscribed(String channel, long count) {
        // Also called after Lettuce re-subscribes on a new connection: results published meanwhile are lost.
        if (resultsChannel.equals(channel)) {
            pending.keySet().forEach(this::check);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (pubsub != null) {
            pubsub.close();
        }
    }
}
