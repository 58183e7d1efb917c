/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.redis.RedisConnection;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.core.RelaxConfig;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the calls stream for one broker: reads entries as consumer {@code broker-<broker id>} of the group
 * {@code relax-brokers}, keeps them claimed while it works on them, and takes over entries that nobody
 * works on. The calls of one channel go one at a time in stream order across the whole fleet: that order
 * is kept by the lanes in Redis ({@link CallScripts}); within this broker the calls of one channel wait in
 * a local lane ({@link LocalLanes}), run by one virtual thread, earliest first, so that only one of them
 * polls Redis.
 *
 * <p>The invariant that keeps every channel moving, whatever dies or restarts:
 *
 * <ol>
 *   <li>Every entry in the group's pending list is either held by a live broker, which refreshes its idle
 *       time every third of the claim idle time, or it grows idle and some broker's sweep takes it over
 *       ({@code XAUTOCLAIM}, from any consumer, this one included) within the claim idle time and a
 *       sweep. Takeovers do not depend on room: the room ({@code maxHeld}) bounds only the entries a broker
 *       reads anew ({@code XREADGROUP >}). An entry this broker has but does not hold (the reply of its
 *       read was lost) is pending and not refreshed: it is taken over like any other. An entry whose call
 *       meets a Redis failure stays held, and its call tries again where it is.
 *   <li>A lane member is added in the same script that makes its entry pending, and removed with the
 *       acknowledgement; a member whose entry is no longer live (not in the stream, or not pending) never
 *       holds up its lane and is dropped by the gate or the sweep's walk through the lanes. So the first
 *       member of a lane that holds calls up belongs to an entry that a live broker works on or will take
 *       over: no call waits on one that nobody will make.
 *   <li>Within a broker, each lane runs its earliest held call; an earlier call that arrives later (a
 *       takeover) goes first. The earliest live member of a lane is therefore always run by its holder.
 * </ol>
 *
 * <p>Polling stays bounded: a call whose turn has not come asks every 100 ms, one per local lane, and less
 * often when this broker has more than {@code maxHeld} lanes, so that the gate runs at most {@code maxHeld}
 * times per 100 ms whatever the broker took over.
 *
 * <p>Delivery: each attempt is recorded as under way before the request leaves; a broker that takes over
 * an entry with such a record makes the call again only when that is harmless, else ends it with {@code
 * outcome_unknown} ({@link CallRunner}). {@link #close()} stops reading and taking over, hands over at once
 * the calls that have not reached Slack, lets those that have finish up to the shutdown deadline, and
 * hands over what is left.
 *
 * <p>Owns its two Redis connections (one for the blocking reads) and its threads.
 */
public final class CallQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallQueue.class);
    private static final int BATCH = 32;
    private static final Duration BLOCK = Duration.ofSeconds(1);
    /** How often the reader looks again for room while it is full; local, no Redis. */
    private static final Duration FULL_WAIT = Duration.ofMillis(100);
    /** Lane members one sweep looks at. */
    private static final int SCRUB_CHUNK = 200;
    /** A consumer with nothing pending is deleted once idle this many claim idle times. */
    private static final int CONSUMER_IDLE_FACTOR = 10;

    private final CallStore store;
    private final LocalLanes lanes;
    private final Duration claimIdle;
    /** New entries this broker reads while it holds fewer; takeovers are not bounded by it. */
    private final int maxHeld;

    private final Duration shutdownTimeout;
    private final RedisConnection readerConnection;
    private final RedisConnection commandConnection;

    /** Reading and taking over; false once close() starts. */
    private volatile boolean running;
    /** Refreshing what is held; stays on while calls drain at close. */
    private volatile boolean sweeping;
    /** Whether the stream and the group exist (an app has queued a call). */
    private volatile boolean groupReady;

    private volatile Thread reader;
    private volatile Thread sweeper;
    /** Where the sweep's walk through the lanes goes on; the sweeper thread's. */
    private String scrubFrom = "";

    /**
     * Opens two Redis connections with {@code redis} (closed by {@link #close()}); nothing runs until
     * {@link #start()}.
     *
     * @param shutdownTimeout how long {@link #close()} lets calls already at Slack finish
     * @param maxHeld new entries read while this broker holds fewer
     * @param consumer this broker in the consumer group: {@code broker-<broker id>}
     * @param tokens renews an installation's rotating token when a call meets {@code token_expired}
     */
    public CallQueue(
            java.util.function.Supplier<RedisConnection> redis,
            RelaxConfig config,
            SlackWebApi slack,
            BrokerMetrics metrics,
            ObjectMapper json,
            Duration interval,
            int maxAttempts,
            Duration claimIdle,
            int maxHeld,
            Duration shutdownTimeout,
            String consumer,
            ExpiredTokens tokens) {
        this.claimIdle = claimIdle;
        this.maxHeld = maxHeld;
        this.shutdownTimeout = shutdownTimeout;
        this.readerConnection = redis.get();
        try {
            this.commandConnection = redis.get();
        } catch (RuntimeException e) {
            readerConnection.close();
            throw e;
        }
        this.store = new CallStore(readerConnection, commandConnection, config, consumer, json);
        this.lanes = new LocalLanes(
                store, new CallRunner(store, slack, metrics, interval, maxAttempts, tokens), claimIdle, maxHeld);
    }

    /**
     * Starts reading and sweeping. The stream and its group are created by nobody here: the reader waits
     * for an app's first {@code XADD}, then creates the group from the start of the stream.
     */
    public void start() {
        running = true;
        sweeping = true;
        reader = Thread.ofVirtual().name("relax-calls-reader").start(this::readLoop);
        sweeper = Thread.ofVirtual().name("relax-calls-sweeper").start(this::sweepLoop);
        log.info("serving Web API calls from {} as {}", "the calls stream", store.consumer());
    }

    private void readLoop() {
        int failures = 0;
        while (running) {
            try {
                if (!groupReady) {
                    if (!store.awaitStream(BLOCK)) {
                        continue;
                    }
                    store.createGroup();
                    groupReady = true;
                }
                int room = Math.min(BATCH, maxHeld - lanes.size());
                if (room <= 0) {
                    // Full: the stream keeps the rest for a broker with room, or for us once calls finish.
                    if (!sleep(FULL_WAIT)) {
                        return;
                    }
                    continue;
                }
                CallStore.Batch batch = store.read(room);
                batch.entries().forEach(lanes::dispatch);
                if (batch.entries().size() < room) {
                    store.awaitNewer(batch.lastDelivered(), BLOCK);
                }
                failures = 0;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    groupReady = false; // the stream or the group was deleted: wait for the stream again
                }
                Duration delay = CallGate.REDIS_BACKOFF.ceiling(failures++);
                log.warn("cannot read the calls stream ({}); retrying in {} ms", e.toString(), delay.toMillis());
                if (!sleep(delay)) {
                    return;
                }
            }
        }
    }

    /** Every third of the claim idle time: keep what is held; while running, take over and tidy. */
    private void sweepLoop() {
        Duration period = claimIdle.dividedBy(3);
        while (sweeping) {
            try {
                if (groupReady) {
                    sweep();
                }
            } catch (RuntimeException e) {
                if (!sweeping) {
                    return;
                }
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    groupReady = false; // the reader waits for the stream and creates the group again
                }
                log.warn("cannot sweep the calls stream ({}); retrying", e.toString());
            }
            if (!sleep(period)) {
                return;
            }
        }
    }

    private void sweep() {
        lanes.keep();
        if (!running) {
            return; // closing: keep refreshing what drains, take nothing more
        }
        int taken = 0;
        String cursor = "0-0";
        do {
            CallStore.Claimed claimed = store.claimIdle(claimIdle, BATCH, cursor);
            claimed.entries().forEach(lanes::dispatch);
            taken += claimed.entries().size();
            cursor = claimed.next();
        } while (!cursor.equals("0-0") && running);
        if (taken > 0) {
            log.info("took over {} call(s) that no live broker was making", taken);
        }
        scrubFrom = store.scrubLanes(scrubFrom, SCRUB_CHUNK);
        List<String> gone = store.deleteIdleConsumers(claimIdle.multipliedBy(CONSUMER_IDLE_FACTOR));
        if (!gone.isEmpty()) {
            log.info("deleted the idle consumers {} of brokers that are gone", gone);
        }
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Stops reading and taking over; hands over at once the calls that have not reached Slack; lets those
     * that have finish (their entries still refreshed) up to the shutdown deadline, then interrupts them,
     * so that their outcome is unknown to the broker that takes them over; marks every entry still held as
     * idle, so that another broker's next sweep takes it over instead of waiting the claim idle time; and
     * deletes this broker's consumer from the group when nothing is pending on it any more.
     */
    @Override
    public void close() {
        running = false;
        lanes.closing();
        interrupt(reader);
        lanes.close(shutdownTimeout);
        sweeping = false;
        interrupt(sweeper);
        try {
            List<String> ids = lanes.heldIds();
            if (!ids.isEmpty()) {
                store.refresh(ids, claimIdle);
                log.info("handed {} unfinished call(s) to the other brokers", ids.size());
            }
            if (groupReady && store.deleteOwnConsumerIfEmpty()) {
                log.debug("deleted consumer {} from the calls group", store.consumer());
            }
        } catch (RuntimeException e) {
            log.warn("cannot hand unfinished calls over ({}); others take them once idle", e.toString());
        } finally {
            readerConnection.close();
            commandConnection.close();
        }
    }

    private static void interrupt(Thread t) {
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
