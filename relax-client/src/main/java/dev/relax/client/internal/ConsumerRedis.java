/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every Redis command of one consumer, on its two connections: the blocking one, used by the fetch thread
 * alone for BLMOVE, and one for everything else (handlers, heartbeat, stop). The keys are
 * {@link ConsumerSettings}'; docs/protocol.md#consumers describes them.
 */
public final class ConsumerRedis implements ProcessingList {
    /**
     * KEYS: dead processing list, queue, registry, dead heartbeat, dead lingering key; ARGV: dead id. -1 if it
     * is alive. The dead one stays in the registry while its lingering key lives (a consumer that stopped
     * while its fetch was stuck), so that reaping it again returns what that fetch moves in late.
     */
    static final String REAP =
            """
            if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
            local n = 0
            while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT') do n = n + 1 end
            if redis.call('EXISTS', KEYS[5]) == 0 then redis.call('SREM', KEYS[3], ARGV[1]) end
            return n
            """;

    /**
     * KEYS: processing list, dead-letter list; ARGV: raw event, dead letter, most dead letters kept.
     * Returns 1 if it moved the event now; 2 if this very dead letter is already on the list (a run
     * repeated after its reply was lost); 0 if the event was no longer in the processing list and this
     * dead letter was never written (another consumer took the event back, so it is not dead-lettered
     * too). LTRIM keeps the newest entries.
     */
    public static final String DEAD_LETTER =
            """
            if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
              if redis.call('LPOS', KEYS[2], ARGV[2]) then return 2 end
              return 0
            end
            redis.call('RPUSH', KEYS[2], ARGV[2])
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
            return 1
            """;

    private final ConsumerSettings s;
    /** The fetch thread's alone: a BLMOVE holds it for up to its block time. */
    private final RedisConnection blocking;

    private final RedisConnection commands;

    ConsumerRedis(ConsumerSettings settings, RedisConnections redis) {
        this.s = settings;
        this.blocking = redis.connect();
        try {
            this.commands = redis.connect();
        } catch (RuntimeException e) {
            blocking.close();
            throw e;
        }
    }

    /** Moves the queue's next event to our processing list, waiting up to {@code blockSeconds}; null if none came. */
    String take(double blockSeconds) {
        return blocking.sync().blmove(s.queue(), s.processingKey(), LMoveArgs.Builder.leftRight(), blockSeconds);
    }

    @Override
    public void acknowledge(String raw) {
        commands.sync().lrem(s.processingKey(), 1, raw);
    }

    @Override
    public long deadLetter(String raw, String letterJson, int limit) {
        Long moved = commands.sync()
                .eval(
                        DEAD_LETTER,
                        ScriptOutputType.INTEGER,
                        new String[] {s.processingKey(), s.deadLetterKey()},
                        raw,
                        letterJson,
                        Integer.toString(limit));
        return moved == null ? 1 : moved;
    }

    /** Refreshes our heartbeat and (re)registers us. */
    void beat() {
        RedisClusterCommands<String, String> r = commands.sync();
        r.set(s.heartbeatKey(s.id()), "1", SetArgs.Builder.px(s.heartbeat().toMillis()));
        r.sadd(s.registryKey(), s.id());
    }

    /** The events in our processing list, oldest first. */
    List<String> held() {
        return commands.sync().lrange(s.processingKey(), 0, -1);
    }

    /**
     * The queue's length and the age of its first (oldest) event, and our processing list's length, read
     * at {@code now}: three reads, made only for a consumer given a MeterRegistry, once per heartbeat.
     */
    QueueSample sample(Instant now) {
        RedisClusterCommands<String, String> r = commands.sync();
        long length = r.llen(s.queue());
        String head = length == 0 ? null : r.lindex(s.queue(), 0);
        return QueueSample.of(length, head, r.llen(s.processingKey()), now);
    }

    /** The ids of the registered consumers other than us whose heartbeat expired. */
    Set<String> silentOthers() {
        RedisClusterCommands<String, String> r = commands.sync();
        Set<String> silent = new LinkedHashSet<>();
        for (String other : r.smembers(s.registryKey())) {
            if (!other.equals(s.id()) && r.exists(s.heartbeatKey(other)) == 0) {
                silent.add(other);
            }
        }
        return silent;
    }

    /** Returns consumer {@code id}'s processing list to the head of the queue unless it beats again: how many. */
    long reap(String id) {
        Long moved = commands.sync()
                .eval(
                        REAP,
                        ScriptOutputType.INTEGER,
                        new String[] {
                            s.processingKey(id), s.queue(), s.registryKey(), s.heartbeatKey(id), s.lingeringKey(id)
                        },
                        id);
        return moved == null ? 0 : moved;
    }

    /** Closes the blocking connection: a BLMOVE still waiting on it ends. */
    void closeBlocking() {
        blocking.close();
    }

    /**
     * Our goodbye: ends our heartbeat and returns our processing list to the queue; with {@code linger},
     * first keeps us registered for that long, so that the others reap what a late BLMOVE moves in.
     * Returns how many events went back.
     */
    long returnHeld(Duration linger) {
        if (linger != null) {
            commands.sync().set(s.lingeringKey(s.id()), "1", SetArgs.Builder.ex(linger.toSeconds()));
        }
        commands.sync().del(s.heartbeatKey(s.id()));
        return reap(s.id());
    }

    /** Closes the commands connection. */
    void close() {
        commands.close();
    }
}
