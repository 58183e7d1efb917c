/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import dev.relax.broker.internal.redis.RegistrationsHash;
import dev.relax.core.EncryptionKeys;
import dev.relax.core.RelaxException;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Command;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bots this broker runs, keyed by {@link BotId}. Applies registrations and commands from the broker's
 * single command thread, so commands for one bot apply in the order they were published. Nothing here
 * blocks on Slack: logins run on their own threads.
 *
 * <p>By default every registered bot runs here. In leased mode ({@code RELAX_RTM_REPLICAS}) a registered
 * bot runs only while {@link RtmReplicas} holds one of its replica leases: it calls {@link #hold} and
 * {@link #drop} from its tick and watchdog threads, so every change to the maps goes under {@link #lock}.
 */
public final class Fleet {
    private static final Logger log = LoggerFactory.getLogger(Fleet.class);

    private final RtmContext ctx;
    private final String botsKey;
    private final Duration startJitter;
    /** Open tokens that fleets without Go brokers store encrypted (RELAX_ENCRYPT_BOT_TOKENS). */
    private final EncryptionKeys keys;

    /** Whether bots run only under a replica lease ({@link #hold}); else every registered bot runs. */
    private final boolean leased;

    /** Guards the changes to the three maps below; reads of {@link #bots} alone need no lock. */
    private final ReentrantLock lock = new ReentrantLock();

    private final Map<BotId, RtmBot> bots = new ConcurrentHashMap<>();
    /** Every valid registration in the bots hash, as last read or announced. */
    private final Map<BotId, BotRegistration> registered = new ConcurrentHashMap<>();
    /** Leased mode: the bots whose replica lease this broker holds. */
    private final Set<BotId> holding = ConcurrentHashMap.newKeySet();
    /** Set by stopAll; start() refuses afterwards. */
    private volatile boolean closed;

    /**
     * @param botsKey the bots hash, for log lines
     * @param leased true when bots run only under a replica lease ({@code RELAX_RTM_REPLICAS})
     */
    public Fleet(RtmContext ctx, String botsKey, Duration startJitter, EncryptionKeys keys, boolean leased) {
        this.ctx = ctx;
        this.leased = leased;
        this.keys = keys;
        this.botsKey = botsKey;
        this.startJitter = startJitter;
        for (RtmBot.State s : RtmBot.State.values()) {
            ctx.metrics().bots(s.name().toLowerCase(java.util.Locale.ROOT), () -> countByState()
                    .get(s));
        }
    }

    /**
     * Brings the fleet in line with the bots hash: starts every registered bot that is not running, and
     * restarts one whose registration changed (a {@code team_added} missed while Redis was away). Bad
     * entries are logged with their field and skipped.
     */
    public void reconcile(Map<String, String> hash) {
        lock.lock();
        try {
            reconcileLocked(hash);
        } finally {
            lock.unlock();
        }
    }

    private void reconcileLocked(Map<String, String> hash) {
        int started = 0;
        Set<BotId> registered = new java.util.HashSet<>();
        for (Map.Entry<String, String> entry : hash.entrySet()) {
            BotRegistration r = decode(entry.getKey(), entry.getValue());
            if (r == null) {
                continue;
            }
            registered.add(r.id());
            this.registered.put(r.id(), r);
            if (leased && !holding.contains(r.id())) {
                continue;
            }
            RtmBot running = bots.get(r.id());
            if (running != null && running.registration().equals(r) && running.state() != RtmBot.State.STOPPED) {
                continue;
            }
            start(r, jitter());
            started++;
        }
        int stopped = 0;
        // A team_removed published while the subscription was down is only visible as a missing field.
        if (!RegistrationsHash.seemsLost("bots", botsKey, hash, leased ? this.registered.size() : bots.size())) {
            this.registered.keySet().retainAll(registered);
            for (BotId id : java.util.List.copyOf(bots.keySet())) {
                if (!registered.contains(id)) {
                    RtmBot gone = bots.remove(id);
                    if (gone != null) {
                        gone.stop("no longer registered");
                        stopped++;
                    }
                }
            }
        }
        log.info("{} bots registered, {} started, {} stopped", hash.size(), started, stopped);
    }

    /** Applies one command. */
    public void apply(Command.BotCommand command, Function<String, String> hget) {
        Function<String, String> read = hget;
        if (command instanceof Command.TeamAdded) {
            // Read before taking the lock, which the lease watchdog's drop takes too: that must never wait
            // for Redis.
            String field = command.bot().hashField();
            String value = hget.apply(field);
            read = f -> f.equals(field) ? value : hget.apply(f);
        }
        lock.lock();
        try {
            applyLocked(command, read);
        } finally {
            lock.unlock();
        }
    }

    private void applyLocked(Command.BotCommand command, Function<String, String> hget) {
        BotId id = command.bot();
        switch (command) {
            case Command.TeamAdded added -> {
                String json = RegistrationsHash.read(
                        hget, botsKey, id.hashField(), "team_added for bot " + id, ctx.metrics());
                if (json == null) {
                    return;
                }
                BotRegistration r = decode(id.hashField(), json);
                if (r != null) {
                    registered.put(r.id(), r);
                    if (!leased || holding.contains(r.id())) {
                        start(r, Duration.ZERO);
                    }
                } else {
                    ctx.metrics().commandsRejected.increment();
                }
            }
            case Command.TeamRemoved removed -> {
                registered.remove(id);
                RtmBot bot = bots.remove(id);
                if (bot == null) {
                    log.info("team_removed for bot {}: not running here", id);
                } else {
                    bot.stop("team_removed");
                }
            }
            case Command.SendMessage message -> {
                RtmBot bot = bots.get(id);
                if (bot == null && leased) {
                    log.debug("message command id={} for bot {}: held by other brokers", message.id(), id);
                } else if (bot == null) {
                    log.warn("message command id={} for bot {}: no such bot runs here; ignored", message.id(), id);
                    ctx.metrics().commandsRejected.increment();
                } else {
                    bot.send(message);
                }
            }
        }
    }

    /** The bots registered now (leased mode: whether or not they run here). */
    public java.util.List<BotId> registeredIds() {
        return java.util.List.copyOf(registered.keySet());
    }

    /**
     * Leased mode: this broker took a replica lease of {@code id}; runs the bot, unless {@code stillHeld},
     * asked under the lock that {@link #drop} takes too, says the lease was given up meanwhile. False when
     * the bot is no longer registered (the caller gives the lease back).
     */
    public boolean hold(BotId id, java.util.function.BooleanSupplier stillHeld) {
        lock.lock();
        try {
            BotRegistration r = registered.get(id);
            if (r == null) {
                return false;
            }
            if (closed || !stillHeld.getAsBoolean()) {
                return true;
            }
            holding.add(id);
            RtmBot running = bots.get(id);
            if (running == null || !running.registration().equals(r) || running.state() == RtmBot.State.STOPPED) {
                start(r, Duration.ZERO);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Leased mode: this broker no longer holds a replica lease of {@code id}; stops the bot here. */
    public void drop(BotId id, String reason) {
        lock.lock();
        try {
            holding.remove(id);
            RtmBot bot = bots.remove(id);
            if (bot != null) {
                bot.stop(reason);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bots by state, for {@code /ready} and {@code /metrics}. */
    public Map<RtmBot.State, Long> countByState() {
        Map<RtmBot.State, Long> counts = new EnumMap<>(RtmBot.State.class);
        for (RtmBot.State s : RtmBot.State.values()) {
            counts.put(s, 0L);
        }
        for (RtmBot bot : bots.values()) {
            counts.merge(bot.state(), 1L, Long::sum);
        }
        return counts;
    }

    /** Stops every bot (sockets closed with 1000). */
    public void stopAll(String reason) {
        lock.lock();
        try {
            closed = true;
            bots.values().forEach(b -> b.stop(reason));
            bots.clear();
            holding.clear();
        } finally {
            lock.unlock();
        }
    }

    private void start(BotRegistration r, Duration delay) {
        if (closed) {
            return;
        }
        RtmBot fresh = new RtmBot(ctx, r);
        RtmBot old = bots.put(r.id(), fresh);
        if (old != null) {
            // Token rotation or restart: the old connection is stopped before the new one logs in, and its
            // in-flight login, if any, can no longer emit anything.
            old.stop("replaced by team_added");
        }
        log.info("starting bot {} ({})", r.id(), r.token());
        fresh.start(delay);
    }

    private Duration jitter() {
        long max = startJitter.toMillis();
        return max <= 0
                ? Duration.ZERO
                : Duration.ofMillis(ThreadLocalRandom.current().nextLong(max + 1));
    }

    private BotRegistration decode(String field, String json) {
        try {
            return RelaxJson.decodeRegistration(json, keys);
        } catch (RelaxException e) { // malformed, or a token that cannot be decrypted: the message says which
            log.error("bots hash field '{}' holds no valid registration, skipped: {}", field, e.getMessage());
            return null;
        }
    }
}
