/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal;

import dev.relax.broker.internal.apps.AppFleet;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.redis.CommandSubscriber;
import dev.relax.broker.internal.redis.RedisRetry;
import dev.relax.broker.internal.redis.RedisServerCheck;
import dev.relax.broker.internal.slack.Fleet;
import dev.relax.core.RelaxConfig;
import dev.relax.core.internal.Redaction;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.json.RelaxJsonException;
import dev.relax.core.protocol.Command;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command thread: takes what {@link CommandSubscriber} queued, one item at a time and in order, and
 * hands bot commands to the {@link Fleet} and app commands to the {@link AppFleet}; a reconciliation
 * (after every (re)subscription) checks the Redis server, then brings both in line with their hashes.
 * Redis reads are retried until they succeed or the broker stops. A command that fails is counted and
 * logged, and the loop carries on: it serves every bot.
 */
public final class CommandLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(CommandLoop.class);

    /**
     * The Redis hash reads the commands need (blocking; on the commands connection).
     *
     * @param hget a field's value, or null when absent
     */
    public record Hashes(BiFunction<String, String, String> hget, Function<String, Map<String, String>> hgetall) {}

    private final RelaxConfig config;
    private final BlockingQueue<CommandSubscriber.Item> queue;
    private final Fleet bots;
    private final AppFleet apps;
    private final Hashes redis;
    private final RedisRetry retry;
    private final RedisServerCheck server;
    private final BrokerMetrics metrics;
    private final Consumer<RedisServerCheck.Unsupported> refuse;
    /** Set by this thread once the first reconciliation loaded the bots and the apps. */
    private volatile boolean reconciled;

    /** @param refuse stops the broker for good; called on this thread, which then ends the loop */
    public CommandLoop(
            RelaxConfig config,
            BlockingQueue<CommandSubscriber.Item> queue,
            Fleet bots,
            AppFleet apps,
            Hashes redis,
            RedisRetry retry,
            RedisServerCheck server,
            BrokerMetrics metrics,
            Consumer<RedisServerCheck.Unsupported> refuse) {
        this.config = config;
        this.queue = queue;
        this.bots = bots;
        this.apps = apps;
        this.redis = redis;
        this.retry = retry;
        this.server = server;
        this.metrics = metrics;
        this.refuse = refuse;
    }

    /** True once the bots and the apps were loaded from Redis. */
    public boolean reconciled() {
        return reconciled;
    }

    /** Runs until interrupted, or until the Redis server turns out unable to serve the broker. */
    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            CommandSubscriber.Item item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (!handle(item)) {
                return;
            }
        }
    }

    /** Applies one item; false when the loop must end. */
    boolean handle(CommandSubscriber.Item item) {
        try {
            switch (item) {
                case CommandSubscriber.Raw raw -> apply(raw.json());
                case CommandSubscriber.Reconcile r -> {
                    return reconcile();
                }
            }
        } catch (RedisServerCheck.Unsupported e) {
            refuse.accept(e);
            return false;
        } catch (RuntimeException e) {
            metrics.commandsRejected.increment();
            log.error("command handling failed, continuing: {}", Redaction.redact(e.toString()), Redaction.redacted(e));
        }
        return true;
    }

    private void apply(String raw) {
        metrics.commandsIn.increment();
        Command command;
        try {
            command = RelaxJson.decodeCommand(raw);
        } catch (RelaxJsonException e) {
            metrics.commandsRejected.increment();
            log.warn("command on {} ignored: {}", config.botsPubsub(), e.getMessage());
            return;
        }
        if (command instanceof Command.SendMessage m && m.id().isEmpty()) {
            // The contract: a message without an id gets one (the Go broker uses its clock). Each broker
            // makes its own, so only commands with an id are sent exactly once across a fleet.
            command = new Command.SendMessage(m.bot(), UUID.randomUUID().toString(), m.payload());
        }
        switch (command) {
            case Command.AppCommand app -> {
                log.debug("command {} for app {}", command.type(), app.appId());
                apps.apply(app, field -> read("the registration of app " + field, config.appsKey(), field));
            }
            case Command.BotCommand bot -> {
                log.debug("command {} for bot {}", command.type(), bot.bot());
                bots.apply(bot, field -> read("the registration of " + bot.bot(), config.botsKey(), field));
            }
        }
    }

    /**
     * After a (re)subscription: the server may be another one (a failover), and commands published
     * meanwhile are lost, {@code team_added} and {@code installation_removed} among them.
     */
    private boolean reconcile() {
        if (!retry.run("read the Redis server's version", server::verify)) {
            return false;
        }
        Map<String, String> botsHash =
                retry.get("reload the bots hash", () -> redis.hgetall().apply(config.botsKey()));
        if (botsHash == null) {
            return false;
        }
        bots.reconcile(botsHash);
        Map<String, String> appsHash =
                retry.get("reload the apps hash", () -> redis.hgetall().apply(config.appsKey()));
        if (appsHash == null) {
            return false;
        }
        apps.reconcile(appsHash);
        reconciled = true;
        return true;
    }

    private String read(String what, String key, String field) {
        return retry.get("read " + what, () -> redis.hget().apply(key, field));
    }
}
