/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import dev.relax.core.protocol.BotId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Which RTM bot replicas one broker should take and which it should hand over, from a snapshot of who
 * holds what. No Redis, no sockets: {@link RtmReplicas} reads the snapshot and applies the decision with
 * scripts that re-check it atomically.
 *
 * <ul>
 *   <li>Fair share: {@code ceil(bots * replicas / live brokers)}, at most one replica of each bot.
 *   <li>Take: while under its share, free replicas of bots it does not hold, those with fewest holders
 *       first (ties in random order, so that brokers joining together spread). A replica free for a whole
 *       lease TTL is taken whatever the share: nobody under its share could take it.
 *   <li>Shed: while over its share, and only while some live broker is under its share and does not hold
 *       the bot, bots whose every replica is held; at most the excess, the others' deficit and a quarter
 *       of the share per tick, so that the hand-over is gradual.
 * </ul>
 *
 * <p>Not thread-safe: the tick thread's ({@code freeSince}).
 */
final class ReplicaPlan {
    /** What to do this tick; the limits are how many of each list at most. */
    record Decision(List<BotId> take, int takeLimit, List<BotId> shed, int shedLimit) {}

    private final int replicas;
    private final long ttlNanos;
    private final Random random;
    /** Bot to when (ticker nanos) a replica of it was first seen free while this broker held none. */
    private final Map<BotId, Long> freeSince = new HashMap<>();

    ReplicaPlan(int replicas, long ttlNanos, Random random) {
        this.replicas = replicas;
        this.ttlNanos = ttlNanos;
        this.random = random;
    }

    /** The fair share of {@code bots} bots among {@code brokers} brokers: at most one replica each. */
    static int fairShare(int bots, int replicas, int brokers) {
        long slots = (long) bots * replicas;
        long share = (slots + Math.max(1, brokers) - 1) / Math.max(1, brokers);
        return (int) Math.min(bots, share);
    }

    /**
     * @param me this broker's id
     * @param holders every registered bot to its holders, one per replica, null where free
     * @param mine the bots this broker holds now
     * @param live the live brokers' ids, this one among them
     */
    Decision decide(String me, Map<BotId, List<String>> holders, Set<BotId> mine, List<String> live, long now) {
        int fair = fairShare(holders.size(), replicas, live.size());
        Map<String, Integer> counts = new HashMap<>();
        Map<BotId, Integer> holderCount = new HashMap<>();
        List<BotId> overdue = new ArrayList<>();
        List<BotId> free = new ArrayList<>();
        for (Map.Entry<BotId, List<String>> e : holders.entrySet()) {
            int held = 0;
            for (String h : e.getValue()) {
                if (h != null) {
                    held++;
                    counts.merge(h, 1, Integer::sum);
                }
            }
            holderCount.put(e.getKey(), held);
            boolean heldHere = mine.contains(e.getKey()) || e.getValue().contains(me);
            if (held < replicas && !heldHere) {
                long since = freeSince.computeIfAbsent(e.getKey(), b -> now);
                (now - since >= ttlNanos ? overdue : free).add(e.getKey());
            } else {
                freeSince.remove(e.getKey());
            }
        }
        freeSince.keySet().retainAll(holders.keySet());
        Comparator<BotId> fewestHolders = Comparator.comparingInt(holderCount::get);
        Collections.shuffle(overdue, random);
        Collections.shuffle(free, random);
        overdue.sort(fewestHolders);
        free.sort(fewestHolders);

        int under = fair - mine.size();
        List<BotId> take = new ArrayList<>(overdue);
        if (under > 0) {
            take.addAll(free);
        }
        int takeLimit = overdue.size() + Math.max(0, under);

        List<BotId> shed = List.of();
        int shedLimit = 0;
        int excess = mine.size() - fair;
        if (excess > 0) {
            Map<String, Integer> deficits = new HashMap<>();
            for (String broker : live) {
                int deficit = fair - counts.getOrDefault(broker, 0);
                if (!broker.equals(me) && deficit > 0) {
                    deficits.put(broker, deficit);
                }
            }
            int deficit = deficits.values().stream().mapToInt(Integer::intValue).sum();
            if (deficit > 0) {
                List<BotId> candidates = new ArrayList<>();
                for (BotId bot : mine) {
                    List<String> h = holders.get(bot);
                    if (h != null
                            && holderCount.get(bot) == replicas
                            && deficits.keySet().stream().anyMatch(b -> !h.contains(b))) {
                        candidates.add(bot);
                    }
                }
                Collections.shuffle(candidates, random);
                shed = candidates;
                shedLimit = Math.min(Math.min(excess, deficit), Math.max(1, fair / 4));
            }
        }
        return new Decision(List.copyOf(take), takeLimit, List.copyOf(shed), shedLimit);
    }

    /** Forgets a bot's free-since mark (it was taken here). */
    void taken(BotId bot) {
        freeSince.remove(Objects.requireNonNull(bot));
    }
}
