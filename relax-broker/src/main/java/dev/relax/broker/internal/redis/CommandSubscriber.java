/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on {@code RELAX_BOTS_PUBSUB} and hands each message to the command queue, in order. Lettuce
 * re-subscribes by itself after a reconnect; since pub/sub keeps nothing for a subscriber that was away,
 * every re-subscription also queues a reconciliation with the bots hash, so that a {@code team_added}
 * published during a Redis outage is not lost.
 */
public final class CommandSubscriber extends RedisPubSubAdapter<String, String> {
    private static final Logger log = LoggerFactory.getLogger(CommandSubscriber.class);

    /** What the command thread takes: a raw command, or a request to reconcile with the hash. */
    public sealed interface Item {}

    public record Raw(String json) implements Item {}

    public record Reconcile() implements Item {}

    private final String channel;
    private final BlockingQueue<Item> queue;
    /** Subscriptions confirmed so far: the first, then one per re-subscription after a reconnect. */
    private final AtomicInteger subscriptions = new AtomicInteger();

    public CommandSubscriber(String channel, BlockingQueue<Item> queue) {
        this.channel = channel;
        this.queue = queue;
    }

    public void subscribe(StatefulRedisPubSubConnection<String, String> connection) {
        connection.addListener(this);
        connection.sync().subscribe(channel);
    }

    /** True once Redis confirmed the subscription. */
    public boolean subscribed() {
        return subscriptions.get() > 0;
    }

    @Override
    public void message(String from, String message) {
        if (channel.equals(from)) {
            queue.add(new Raw(message));
        }
    }

    @Override
    public void subscribed(String to, long count) {
        if (!channel.equals(to)) {
            return;
        }
        if (subscriptions.incrementAndGet() > 1) {
            log.info("re-subscribed to {} after a Redis reconnect; reconciling bots with the hash", channel);
            queue.add(new Reconcile());
        } else {
            log.info("subscribed to commands on {}", channel);
        }
    }
}
