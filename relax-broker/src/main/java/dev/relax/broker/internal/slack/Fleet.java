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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bots this broker runs, keyed by {@link BotId}. Applies registrations and commands; every method is
 * called from the broker's single command thread, so commands for one bot apply in the order they were
 * published. Nothing here blocks on Slack: logins run on their own threads.
 */
public final class Fleet {
    private static final Logger log = LoggerFactory.getLogger(Fleet.class);

    private final RtmContext ctx;
    private final String botsKey;
    private final Duration startJitter;
    /** Open tokens that fleets without Go brokers store encrypted (RELAX_ENCRYPT_BOT_TOKENS). */
    private final EncryptionKeys keys;

    private final Map<BotId, RtmBot> bots = new ConcurrentHashMap<>();
    /** Set by stopAll; start() refuses afterwards. */
    private volatile boolean closed;

    /** @param botsKey the bots hash, for log lines */
    public Fleet(RtmContext ctx, String botsKey, Duration startJitter, EncryptionKeys keys) {
        this.ctx = ctx;
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
        int started = 0;
        java.util.Set<BotId> registered = new java.util.HashSet<>();
        for (Map.Entry<String, String> entry : hash.entrySet()) {
            BotRegistration r = decode(entry.getKey(), entry.getValue());
            if (r == null) {
                continue;
            }
            registered.add(r.id());
            RtmBot running = bots.get(r.id());
            if (running != null && running.registration().equals(r) && running.state() != RtmBot.State.STOPPED) {
                continue;
            }
            start(r, jitter());
            started++;
        }
        int stopped = 0;
        // A team_removed published while the subscription was down is only visible as a missing field.
        if (!RegistrationsHash.seemsLost("bots", botsKey, hash, bots.size())) {
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
                    start(r, Duration.ZERO);
                } else {
                    ctx.metrics().commandsRejected.increment();
                }
            }
            case Command.TeamRemoved removed -> {
                RtmBot bot = bots.remove(id);
                if (bot == null) {
                    log.info("team_removed for bot {}: not running here", id);
                } else {
                    bot.stop("team_removed");
                }
            }
            case Command.SendMessage message -> {
                RtmBot bot = bots.get(id);
                if (bot == null) {
                    log.warn("message command id={} for bot {}: no such bot runs here; ignored", message.id(), id);
                    ctx.metrics().commandsRejected.increment();
                } else {
                    bot.send(message);
                }
            }
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
        closed = true;
        bots.values().forEach(b -> b.stop(reason));
        bots.clear();
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
