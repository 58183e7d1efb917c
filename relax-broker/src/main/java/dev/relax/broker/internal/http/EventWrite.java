/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import dev.relax.broker.internal.apps.AppEvent;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.slack.Arrival;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The write step of a request: offers its event to the {@link EventWriter} and waits until it is in Redis,
 * so that the request is answered {@code 200} only then, and {@code 503} (which Slack retries) otherwise.
 * Stateless; blocks the request's own (virtual) thread.
 */
final class EventWrite {
    private final Duration storeTimeout;

    /** @param storeTimeout time to wait for an event to be in Redis before refusing the request */
    EventWrite(Duration storeTimeout) {
        this.storeTimeout = storeTimeout;
    }

    /** Returns once the event is in Redis; refuses the request as {@code unavailable} when it is not in time. */
    void store(EventWriter writer, AppEvent event, Arrival arrival) throws Rejection {
        CountDownLatch stored = new CountDownLatch(1);
        if (!writer.offer(event.bot(), event.translated(), arrival, stored::countDown)) {
            throw new Rejection(503, RequestResult.UNAVAILABLE, "event buffer full");
        }
        boolean done;
        try {
            done = stored.await(storeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            // The event stays buffered and is written when Redis is back; Slack's retry is then deduplicated.
            throw new Rejection(
                    503,
                    RequestResult.UNAVAILABLE,
                    "event " + event.translated().event().type() + " not in Redis within " + storeTimeout.toMillis()
                            + " ms; kept in memory, Slack will retry");
        }
    }
}
