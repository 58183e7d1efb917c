/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.redis.RtmLeases;
import dev.relax.core.internal.Redaction;
import dev.relax.core.protocol.BotId;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTM bots of one broker when {@code RELAX_RTM_REPLICAS} is set: each bot is held by that many
 * brokers, each replica under a lease in Redis ({@link RtmLeases}), and this broker runs a bot only
 * while it holds one of its replica leases. Every tick (a fifth of the lease TTL, at most a second) it
 * heartbeats into the registry of live brokers, renews every held lease in one script, gives back the
 * leases of bots no longer registered, and takes or hands over replicas as {@link ReplicaPlan} decides.
 * Several brokers see each event of a bot; the event writer's dedupe pushes it once, as without replicas.
 *
 * <p>The lease watchdog runs apart from ticks, on the timer thread and without Redis: it stops every bot
 * whose lease could lapse within a quarter of the TTL (renewals failing or hanging), before another
 * broker may take the replica, as {@code AppFleet}'s does for Socket Mode.
 *
 * <p>Threads: ticks on a worker, never overlapping ({@link #tickLock}); the watchdog on the timer thread;
 * {@link #stopAll} on the broker's closing thread. {@link #held} is concurrent for that reason, and each
 * writer removes only the slot it saw.
 */
public final class RtmReplicas {
    private static final Logger log = LoggerFactory.getLogger(RtmReplicas.class);

    /** One held replica; {@code validUntil} (ticker nanos) is written by the tick, read by the watchdog. */
    private static final class Slot {
        final int replica;
        volatile long validUntil;

        Slot(int replica, long validUntil) {
            this.replica = replica;
            this.validUntil = validUntil;
        }
    }

    private final Fleet fleet;
    private final RtmLeases leases;
    private final Duration ttl;
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final LongSupplier ticker;
    private final BrokerMetrics metrics;
    private final Map<BotId, Slot> held = new ConcurrentHashMap<>();
    private final ReentrantLock tickLock = new ReentrantLock();
    /** The tick thread's. */
    private final ReplicaPlan plan;

    private volatile boolean closed;
    private volatile ScheduledFuture<?> ticks;
    private volatile ScheduledFuture<?> watchdog;
    private volatile long lastRedisWarningNanos = Long.MIN_VALUE / 2;

    /**
     * @param fleet the bots, in leased mode: it runs those this broker holds
     * @param ttl how long a lease outlives a broker that stopped renewing it
     */
    public RtmReplicas(
            Fleet fleet,
            RtmLeases leases,
            Duration ttl,
            ScheduledExecutorService timers,
            ExecutorService workers,
            LongSupplier ticker,
            BrokerMetrics metrics,
            int replicas) {
        this.fleet = fleet;
        this.leases = leases;
        this.ttl = ttl;
        this.timers = timers;
        this.workers = workers;
        this.ticker = ticker;
        this.metrics = metrics;
        this.plan = new ReplicaPlan(replicas, ttl.toNanos(), new Random());
        metrics.rtmLeases(held::size);
    }

    /** Starts the ticks and the watchdog. */
    public void start() {
        long period = Math.max(100, Math.min(1000, ttl.toMillis() / 5));
        ticks = timers.scheduleWithFixedDelay(() -> workers.execute(this::tick), 0, period, TimeUnit.MILLISECONDS);
        long check = Math.max(10, Math.min(500, margin().toMillis() / 4));
        watchdog = timers.scheduleAtFixedRate(this::closeLapsing, check, check, TimeUnit.MILLISECONDS);
    }

    /** Cancels the ticks, gives back every lease and leaves the registry (a clean stop; bots stopped by the fleet). */
    public void stopAll() {
        closed = true;
        for (ScheduledFuture<?> t : new ScheduledFuture<?>[] {ticks, watchdog}) {
            if (t != null) {
                t.cancel(false);
            }
        }
        tickLock.lock();
        try {
            Map<BotId, Integer> all = replicasOf(held.keySet());
            held.clear();
            leases.release(all);
            leases.leave();
            log.info("gave back {} RTM replica leases", all.size());
        } catch (RuntimeException e) {
            log.warn("RTM replica leases not given back ({}); they lapse by themselves", e.toString());
        } finally {
            tickLock.unlock();
        }
    }

    private void tick() {
        if (closed || !tickLock.tryLock()) {
            return;
        }
        try {
            if (!closed) {
                tickLocked();
            }
        } catch (RuntimeException e) {
            // The watchdog stops the bots whose leases may lapse meanwhile.
            metrics.redisErrors.increment();
            long now = ticker.getAsLong();
            if (now - lastRedisWarningNanos > Duration.ofSeconds(5).toNanos()) {
                lastRedisWarningNanos = now;
                log.warn("RTM replica leases: Redis call failed ({}); retrying", e.toString());
            }
        } finally {
            tickLock.unlock();
        }
    }

    private void tickLocked() {
        List<String> live = leases.heartbeat(ttl);
        long sent = ticker.getAsLong();
        Map<BotId, Integer> mine = replicasOf(held.keySet());
        Set<BotId> lost = Set.copyOf(leases.renew(mine, ttl));
        for (BotId bot : mine.keySet()) {
            Slot slot = held.get(bot);
            if (slot != null && !lost.contains(bot)) {
                slot.validUntil = sent + ttl.toNanos();
            }
        }
        for (BotId bot : lost) {
            Slot slot = held.get(bot);
            if (slot != null && held.remove(bot, slot)) {
                log.warn("bot {}: replica lease lost to another broker; stopping it here", bot);
                fleet.drop(bot, "replica lease lost");
            }
        }
        List<BotId> registered = fleet.registeredIds();
        Set<BotId> stillRegistered = new HashSet<>(registered);
        Map<BotId, Integer> gone = new HashMap<>();
        for (BotId bot : List.copyOf(held.keySet())) {
            Slot slot = held.get(bot);
            if (slot != null && !stillRegistered.contains(bot) && held.remove(bot, slot)) {
                gone.put(bot, slot.replica);
                fleet.drop(bot, "no longer registered");
            }
        }
        leases.release(gone);
        if (registered.isEmpty()) {
            return;
        }
        Map<BotId, List<String>> holders = leases.holders(registered);
        ReplicaPlan.Decision d =
                plan.decide(leases.instanceId(), holders, Set.copyOf(held.keySet()), live, ticker.getAsLong());
        take(d, live.size());
        for (BotId bot : leases.shed(d.shed(), d.shedLimit())) {
            Slot slot = held.remove(bot);
            if (slot != null) {
                fleet.drop(bot, "handed over to another broker");
            }
        }
    }

    private void take(ReplicaPlan.Decision d, int brokers) {
        long sent = ticker.getAsLong();
        Map<BotId, Integer> taken = leases.take(d.take(), d.takeLimit(), ttl);
        if (taken.isEmpty()) {
            return;
        }
        Map<BotId, Slot> slots = new HashMap<>();
        for (Map.Entry<BotId, Integer> e : taken.entrySet()) {
            plan.taken(e.getKey());
            Slot slot = new Slot(e.getValue(), sent + ttl.toNanos());
            held.put(e.getKey(), slot);
            slots.put(e.getKey(), slot);
        }
        log.info("took {} RTM replica leases ({} held here, {} brokers)", taken.size(), held.size(), brokers);
        // Starting thousands of bots takes a while on a busy machine: not on the tick, which must renew
        // every lease again well within the TTL.
        workers.execute(() -> start(slots));
    }

    /** Runs the bots of newly taken slots (a worker); a slot dropped meanwhile starts nothing. */
    private void start(Map<BotId, Slot> slots) {
        Map<BotId, Integer> unwanted = new HashMap<>();
        for (Map.Entry<BotId, Slot> e : slots.entrySet()) {
            BotId bot = e.getKey();
            Slot slot = e.getValue();
            if (!closed && !fleet.hold(bot, () -> held.get(bot) == slot) && held.remove(bot, slot)) {
                unwanted.put(bot, slot.replica); // removed from the bots hash since the snapshot
            }
        }
        try {
            leases.release(unwanted);
        } catch (RuntimeException e) {
            log.debug("leases of bots no longer registered not released ({}); they lapse by themselves", e.toString());
        }
    }

    /** The lease watchdog (timer thread): must stay cheap and never wait for Redis. */
    private void closeLapsing() {
        try {
            long now = ticker.getAsLong();
            long margin = margin().toNanos();
            for (Map.Entry<BotId, Slot> e : held.entrySet()) {
                long left = e.getValue().validUntil - now;
                if (left <= margin && held.remove(e.getKey(), e.getValue())) {
                    log.error(
                            "bot {}: replica lease not renewed in time (valid {} ms more at most: Redis unreachable"
                                    + " or slow); stopping the bot before the lease can lapse",
                            e.getKey(),
                            TimeUnit.NANOSECONDS.toMillis(Math.max(0, left)));
                    fleet.drop(e.getKey(), "replica lease about to lapse without renewal");
                }
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep watching.
            log.error("RTM lease watchdog: {}", Redaction.redact(e.toString()), Redaction.redacted(e));
        }
    }

    private Map<BotId, Integer> replicasOf(Collection<BotId> bots) {
        Map<BotId, Integer> out = new HashMap<>();
        for (BotId bot : List.copyOf(bots)) {
            Slot slot = held.get(bot);
            if (slot != null) {
                out.put(bot, slot.replica);
            }
        }
        return out;
    }

    /** How long before its lease could lapse a bot is stopped: a quarter of the TTL, as for Socket Mode. */
    private Duration margin() {
        return ttl.dividedBy(4);
    }
}
