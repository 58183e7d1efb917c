/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples;

import dev.relax.client.EventConsumer;
import dev.relax.client.RelaxClient;
import dev.relax.core.event.MessageDeleted;
import dev.relax.core.event.MessageEdited;
import dev.relax.core.event.MessageNew;
import dev.relax.core.event.ReactionAdded;
import dev.relax.core.event.ReactionRemoved;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.protocol.BotId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A bot that answers every mention and direct message with {@code echo: <text>} and narrates the other
 * events it sees. Built on the public API only: {@link RelaxClient} and its {@link EventConsumer}.
 *
 * <p>Run it against a real deployment with the broker's environment ({@code RELAX_EVENTS_QUEUE},
 * {@code REDIS_URL}, ...): {@code java -cp ... dev.relax.examples.EchoBot}.
 */
public final class EchoBot implements AutoCloseable {
    private final RelaxClient relax;
    private final Consumer<String> out;
    private final AtomicLong replies = new AtomicLong();
    private EventConsumer consumer;

    public EchoBot(RelaxClient relax, Consumer<String> out) {
        this.relax = relax;
        this.out = out;
    }

    /** Starts consuming events. Events of one channel are handled in order. */
    public EchoBot start() {
        consumer = relax.consumer()
                .ordering(EventConsumer.Ordering.PER_CHANNEL)
                .on(MessageNew.class, this::onMessage)
                .on(
                        MessageEdited.class,
                        e -> out.accept(
                                "[event] message_edited  " + e.userUid() + " changed " + e.ts() + " to: " + e.text()))
                .on(
                        MessageDeleted.class,
                        e -> out.accept("[event] message_deleted " + e.deletedTs() + " in " + e.channelUid()))
                .on(
                        ReactionAdded.class,
                        e -> out.accept("[event] reaction_added  " + e.userUid() + " reacted :" + e.reaction() + ": to "
                                + e.itemTs()))
                .on(
                        ReactionRemoved.class,
                        e -> out.accept(
                                "[event] reaction_removed " + e.userUid() + " took back :" + e.reaction() + ":"))
                .onAny(this::onOther)
                .onError(failure -> out.accept("[error] gave up on an event: " + failure.error()))
                .start();
        return this;
    }

    /** Replies sent so far. */
    public long replies() {
        return replies.get();
    }

    /** Events handled so far. */
    public long handled() {
        return consumer == null ? 0 : consumer.handled();
    }

    private void onMessage(MessageNew m) {
        out.accept("[event] message_new     " + m.userUid() + " in " + m.channelUid() + (m.im() ? " (DM)" : "") + ": "
                + m.text());
        if (m.userUid().equals(m.relaxBotUid()) || !(m.im() || m.mentionsBot())) {
            return;
        }
        String question = m.text().replace("<@" + m.relaxBotUid() + ">", "").trim();
        String reply = "echo: " + (question.isEmpty() ? "(you said nothing)" : question);
        relax.sendMessage(new BotId(m.teamUid(), m.namespace()), m.channelUid(), reply);
        replies.incrementAndGet();
        out.accept("[bot]   replying in " + m.channelUid() + ": " + reply);
    }

    private void onOther(RelaxEvent e) {
        out.accept("[event] " + e.type() + " (team " + e.teamUid() + ")");
    }

    /** Stops consuming: handlers under way may finish for {@link EventConsumer#DEFAULT_STOP_DEADLINE}. */
    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch shutdown = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C lets main leave its try block, which stops the bot, then the client; the JVM waits for that.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutdown.countDown();
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try (RelaxClient relax = RelaxClient.fromEnv(System.getenv());
                EchoBot bot = new EchoBot(relax, System.out::println).start()) {
            System.out.println("echo bot running on " + relax.config().eventsQueue() + "; Ctrl-C to stop");
            shutdown.await();
        } finally {
            stopped.countDown();
        }
    }
}
