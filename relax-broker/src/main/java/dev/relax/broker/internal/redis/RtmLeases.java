/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.Protocol;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The leases of RTM bot replicas ({@code RELAX_RTM_REPLICAS}) and the registry of the brokers that share
 * them. Replica {@code r} of a bot is held under {@code <bots key>:rtm_lease:<bot>:<r>} (value the
 * broker's id, {@code SET NX PX}); the live brokers are {@code <bots key>:rtm_brokers}, as {@link
 * Leases}' registry. Every key derives from the bots key, so they share its hash tag and each script's
 * keys sit on one Redis Cluster node.
 *
 * <p>Each call is one round trip whatever the number of bots: a broker with thousands renews them all
 * with one script. Throws what Lettuce throws when Redis fails; the caller retries on its next tick.
 */
public final class RtmLeases {
    /** KEYS the leases; ARGV[1] holder, ARGV[2] TTL ms. Per key 1 when renewed, 0 when no longer held. */
    static final String RENEW =
            """
            local out = {}
            for i, key in ipairs(KEYS) do
              if redis.call('GET', key) == ARGV[1] then
                redis.call('PEXPIRE', key, ARGV[2])
                out[i] = 1
              else
                out[i] = 0
              end
            end
            return out
            """;

    /**
     * KEYS the replica leases of candidate bots, {@code ARGV[3]} per bot; ARGV[1] holder, ARGV[2] TTL ms,
     * ARGV[3] replicas, ARGV[4] how many to take at most. For each bot, in order: the replica taken, or -1
     * (the holder already holds one of its replicas, none is free, or enough were taken). A broker never
     * holds two replicas of one bot, whatever its own bookkeeping says.
     */
    static final String TAKE =
            """
            local r = tonumber(ARGV[3])
            local left = tonumber(ARGV[4])
            local out = {}
            for g = 1, #KEYS / r do
              out[g] = -1
              if left > 0 then
                local free = nil
                local mine = false
                for i = 1, r do
                  local v = redis.call('GET', KEYS[(g - 1) * r + i])
                  if v == ARGV[1] then
                    mine = true
                  elseif not v and not free then
                    free = i
                  end
                end
                if free and not mine then
                  redis.call('SET', KEYS[(g - 1) * r + free], ARGV[1], 'PX', ARGV[2])
                  out[g] = free - 1
                  left = left - 1
                end
              end
            end
            return out
            """;

    /**
     * KEYS the replica leases of bots to hand over, {@code ARGV[2]} per bot; ARGV[1] holder, ARGV[3] how
     * many to give up at most. Gives a bot's lease back only while every replica of it is held, so that two
     * brokers shedding at once never leave a bot with fewer than replicas - 1 holders. Per bot 1 when given
     * up, else 0.
     */
    static final String SHED =
            """
            local r = tonumber(ARGV[2])
            local left = tonumber(ARGV[3])
            local out = {}
            for g = 1, #KEYS / r do
              out[g] = 0
              if left > 0 then
                local held = 0
                local mine = nil
                for i = 1, r do
                  local v = redis.call('GET', KEYS[(g - 1) * r + i])
                  if v then
                    held = held + 1
                  end
                  if v == ARGV[1] then
                    mine = KEYS[(g - 1) * r + i]
                  end
                end
                if mine and held == r then
                  redis.call('DEL', mine)
                  out[g] = 1
                  left = left - 1
                end
              end
            end
            return out
            """;

    /** KEYS the leases; ARGV[1] holder. Deletes those the holder holds. */
    static final String RELEASE =
            """
            local n = 0
            for _, key in ipairs(KEYS) do
              if redis.call('GET', key) == ARGV[1] then
                n = n + redis.call('DEL', key)
              end
            end
            return n
            """;

    /** As {@link Leases#HEARTBEAT}, but returns the live members. */
    static final String HEARTBEAT =
            """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return redis.call('ZRANGE', KEYS[1], 0, -1)
            """;

    private final RedisClusterCommands<String, String> redis;
    private final String botsKey;
    private final String instanceId;
    private final int replicas;

    /**
     * @param redis the commands connection (shared; the broker closes it)
     * @param botsKey the configured bots key, from which every key here derives
     * @param replicas brokers that hold each bot, at least 1
     */
    public RtmLeases(RedisClusterCommands<String, String> redis, String botsKey, String instanceId, int replicas) {
        this.redis = redis;
        this.botsKey = botsKey;
        this.instanceId = instanceId;
        this.replicas = replicas;
    }

    public String instanceId() {
        return instanceId;
    }

    /** The lease of replica {@code replica} of {@code bot}. */
    public String leaseKey(BotId bot, int replica) {
        return botsKey + Protocol.RTM_LEASE_SUFFIX + bot.hashField() + ":" + replica;
    }

    /** The registry of live brokers that share RTM bots. */
    public String registryKey() {
        return botsKey + Protocol.RTM_BROKERS_SUFFIX;
    }

    /** Records this broker as alive for {@code ttl} and returns the ids of the live brokers, by Redis's clock. */
    public List<String> heartbeat(Duration ttl) {
        List<Object> live =
                redis.eval(HEARTBEAT, ScriptOutputType.MULTI, new String[] {registryKey()}, instanceId, millis(ttl));
        return live.stream().map(String::valueOf).toList();
    }

    /** Removes this broker from the registry (a clean stop). */
    public void leave() {
        redis.zrem(registryKey(), instanceId);
    }

    /** Renews the leases of {@code held} (bot to replica) for {@code ttl}; returns the bots whose lease was lost. */
    public List<BotId> renew(Map<BotId, Integer> held, Duration ttl) {
        if (held.isEmpty()) {
            return List.of();
        }
        List<BotId> bots = new ArrayList<>(held.keySet());
        String[] keys = bots.stream().map(b -> leaseKey(b, held.get(b))).toArray(String[]::new);
        List<Object> renewed = redis.eval(RENEW, ScriptOutputType.MULTI, keys, instanceId, millis(ttl));
        List<BotId> lost = new ArrayList<>();
        for (int i = 0; i < bots.size(); i++) {
            if (!Long.valueOf(1).equals(renewed.get(i))) {
                lost.add(bots.get(i));
            }
        }
        return lost;
    }

    /**
     * Who holds each replica of each of {@code bots} now: per bot, one entry per replica, the holder's id
     * or null when the replica is free. One {@code MGET}.
     */
    public Map<BotId, List<String>> holders(List<BotId> bots) {
        Map<BotId, List<String>> out = new LinkedHashMap<>();
        if (bots.isEmpty()) {
            return out;
        }
        List<KeyValue<String, String>> values = redis.mget(allKeys(bots));
        for (int b = 0; b < bots.size(); b++) {
            String[] holders = new String[replicas];
            for (int r = 0; r < replicas; r++) {
                KeyValue<String, String> kv = values.get(b * replicas + r);
                holders[r] = kv.hasValue() ? kv.getValue() : null;
            }
            out.put(bots.get(b), Arrays.asList(holders));
        }
        return out;
    }

    /**
     * Takes a free replica of up to {@code limit} of {@code candidates}, in their order, for {@code ttl};
     * returns the bots taken and the replica of each.
     */
    public Map<BotId, Integer> take(List<BotId> candidates, int limit, Duration ttl) {
        Map<BotId, Integer> taken = new LinkedHashMap<>();
        if (candidates.isEmpty() || limit <= 0) {
            return taken;
        }
        List<Object> out = redis.eval(
                TAKE,
                ScriptOutputType.MULTI,
                allKeys(candidates),
                instanceId,
                millis(ttl),
                Integer.toString(replicas),
                Integer.toString(limit));
        for (int i = 0; i < candidates.size(); i++) {
            long replica = (Long) out.get(i);
            if (replica >= 0) {
                taken.put(candidates.get(i), (int) replica);
            }
        }
        return taken;
    }

    /**
     * Gives back the lease of up to {@code limit} of {@code candidates}, each only while all its replicas
     * are held; returns those given back.
     */
    public List<BotId> shed(List<BotId> candidates, int limit) {
        if (candidates.isEmpty() || limit <= 0) {
            return List.of();
        }
        List<Object> out = redis.eval(
                SHED,
                ScriptOutputType.MULTI,
                allKeys(candidates),
                instanceId,
                Integer.toString(replicas),
                Integer.toString(limit));
        List<BotId> shed = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (Long.valueOf(1).equals(out.get(i))) {
                shed.add(candidates.get(i));
            }
        }
        return shed;
    }

    /** Gives back the leases of {@code held} (bot to replica) that this broker holds. */
    public void release(Map<BotId, Integer> held) {
        if (held.isEmpty()) {
            return;
        }
        String[] keys = held.entrySet().stream()
                .map(e -> leaseKey(e.getKey(), e.getValue()))
                .toArray(String[]::new);
        redis.eval(RELEASE, ScriptOutputType.INTEGER, keys, instanceId);
    }

    private String[] allKeys(List<BotId> bots) {
        String[] keys = new String[bots.size() * replicas];
        for (int b = 0; b < bots.size(); b++) {
            for (int r = 0; r < replicas; r++) {
                keys[b * replicas + r] = leaseKey(bots.get(b), r);
            }
        }
        return keys;
    }

    private static String millis(Duration d) {
        return Long.toString(d.toMillis());
    }
}
