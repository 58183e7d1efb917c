/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls this broker holds (read or taken over, not finished), in a local lane per channel, earliest
 * first. Each lane is run by one virtual thread, which makes its calls one at a time ({@link CallRunner}),
 * so that only one call per channel polls Redis for its turn; an earlier call that arrives later (a
 * takeover) goes first. Also keeps the entries held ({@link #keep}) and hands them over at close.
 *
 * <p>Owns the virtual threads of the calls; {@link CallQueue} drives its lifecycle.
 */
final class LocalLanes {
    private static final Logger log = LoggerFactory.getLogger(LocalLanes.class);
    /** How often a call whose turn has not come asks again, when the broker has at most maxHeld lanes. */
    private static final Duration TURN_POLL = Duration.ofMillis(100);

    private final CallStore store;
    private final CallRunner runner;
    private final Duration claimIdle;
    private final int maxHeld;
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("relax-call-", 0).factory());
    /** Entries this broker holds, by stream id. Written by every thread. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    /** Local lanes by lane key; guarded by itself, as is every {@link Lane}'s state. */
    private final Map<String, Lane> lanes = new HashMap<>();
    /**
     * Held by whoever sets the idle time of held entries (the sweeper's refresh, a lane's hand-over), so
     * that a refresh never undoes a hand-over. A lock rather than a monitor: it is held across Redis
     * commands, which may wait up to their timeout, and on Java 21 a virtual thread that blocks inside
     * {@code synchronized}, or waits to enter it, pins its carrier thread (JEP 444; lifted in Java 24 by
     * JEP 491), which would stall every other virtual thread of the broker on a machine with few cores.
     */
    private final ReentrantLock idleTimes = new ReentrantLock();
    /** Counted down when closing starts: calls waiting for their turn wake and are handed over. */
    private final CountDownLatch closing = new CountDownLatch(1);
    /** Set when closing gave up on the calls still at Slack at the deadline. */
    private volatile boolean abandoned;

    /** An entry this broker holds; {@code lost} once another broker took it over. */
    private static final class Held {
        final CallEntry call;
        /** Its local lane: its channel's, or one of its own for a malformed call, which waits behind nothing. */
        final String laneKey;

        volatile boolean lost;

        Held(CallEntry call) {
            this.call = call;
            this.laneKey = call.problem().isEmpty() ? call.laneKey() : "malformed|" + call.streamId();
        }
    }

    /** The calls of one channel this broker holds, earliest first; {@code working} while a thread runs them. */
    private static final class Lane {
        final String key;
        final NavigableMap<String, Held> calls = new TreeMap<>();
        boolean working;

        Lane(String key) {
            this.key = key;
        }
    }

    LocalLanes(CallStore store, CallRunner runner, Duration claimIdle, int maxHeld) {
        this.store = store;
        this.runner = runner;
        this.claimIdle = claimIdle;
        this.maxHeld = maxHeld;
    }

    /** How many entries this broker holds. */
    int size() {
        return held.size();
    }

    /** The stream ids of the entries this broker holds. */
    List<String> heldIds() {
        return List.copyOf(held.keySet());
    }

    /** Holds {@code call} and queues it in its local lane. */
    void dispatch(CallEntry call) {
        Held h = new Held(call);
        if (held.putIfAbsent(call.streamId(), h) != null) {
            return; // already ours
        }
        synchronized (lanes) {
            Lane lane = lanes.computeIfAbsent(h.laneKey, Lane::new);
            lane.calls.put(call.laneMember(), h);
            if (lane.working) {
                return;
            }
            lane.working = true;
            try {
                calls.execute(() -> work(lane));
            } catch (RejectedExecutionException e) {
                lane.working = false; // closing: the entry stays held and close() hands it over
            }
        }
    }

    /** Keeps every held entry this broker's (resets its idle time); lets go of those another broker took. */
    void keep() {
        idleTimes.lock();
        try {
            for (String id : store.refresh(List.copyOf(held.keySet()), Duration.ZERO)) {
                Held h = held.remove(id);
                if (h != null) {
                    h.lost = true;
                    unlane(h);
                }
            }
        } finally {
            idleTimes.unlock();
        }
    }

    /**
     * Starts closing: calls that have not reached Slack are handed over at once; those that have may finish
     * up to {@code deadline}, then are interrupted (their outcome is unknown to whoever takes them over).
     * Returns when every lane's thread has ended, or 2 s after the deadline.
     */
    void close(Duration deadline) {
        calls.shutdown();
        if (!awaitCalls(deadline)) {
            abandoned = true;
            log.warn(
                    "calls still at Slack at the shutdown deadline ({} ms) are abandoned; the broker that takes"
                            + " them over finds their outcome unknown",
                    deadline.toMillis());
            calls.shutdownNow();
            awaitCalls(Duration.ofSeconds(2));
        }
    }

    /** Wakes the calls waiting for their turn, which are then handed over; the first step of closing. */
    void closing() {
        closing.countDown();
    }

    /** Runs a lane's calls, earliest first, until none is left or the broker closes. */
    private void work(Lane lane) {
        int failures = 0;
        while (true) {
            Held h;
            synchronized (lanes) {
                Map.Entry<String, Held> first = lane.calls.firstEntry();
                if (first == null) {
                    lane.working = false;
                    lanes.remove(lane.key, lane);
                    return;
                }
                h = first.getValue();
            }
            if (closing.getCount() == 0) {
                handOver(lane);
                return;
            }
            CallRunner.Ending ending;
            try {
                ending = runner.run(h.call, turn(h, lane));
                failures = 0;
            } catch (InterruptedException e) {
                stop(lane); // the shutdown deadline: close() hands the entry over
                return;
            } catch (RuntimeException e) {
                if (abandoned) {
                    stop(lane);
                    return;
                }
                if (h.lost) {
                    release(lane, h); // another broker took it over: it is that broker's now
                    continue;
                }
                // Redis failed before the call went to Slack: keep holding the entry (the sweeper keeps it
                // ours while Redis answers it) and try again here, rather than leave the channel waiting the
                // claim idle time for a takeover.
                Duration delay = CallGate.REDIS_BACKOFF.ceiling(failures++);
                log.error("{}: Redis failed ({}); trying again in {} ms", h.call, e.toString(), delay.toMillis());
                try {
                    closing.await(delay.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    stop(lane); // the shutdown deadline
                    return;
                }
                continue;
            }
            switch (ending) {
                case FINISHED -> release(lane, h);
                case LEFT -> {
                    if (h.lost) {
                        release(lane, h);
                    }
                    // else closing: the next turn of the loop hands the lane over
                }
                case DEFERRED -> {} // an earlier call of the lane came: it is first now
            }
        }
    }

    /**
     * Closing: hands the lane's calls, none of which is at Slack, to the other brokers at once (idle as
     * if this broker had been silent the claim idle time), and lets go of them. Left held when Redis
     * fails: close() tries again.
     */
    private void handOver(Lane lane) {
        List<Held> left;
        synchronized (lanes) {
            lane.working = false;
            left = List.copyOf(lane.calls.values());
        }
        idleTimes.lock();
        try {
            store.refresh(left.stream().map(h -> h.call.streamId()).toList(), claimIdle);
            for (Held h : left) {
                release(lane, h);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "cannot hand {} call(s) over yet ({}); trying again once the broker has stopped",
                    left.size(),
                    e.toString());
            return;
        } finally {
            idleTimes.unlock();
        }
        synchronized (lanes) {
            if (lane.calls.isEmpty()) {
                lanes.remove(lane.key, lane);
            }
        }
        log.debug("handed {} call(s) of {} to the other brokers", left.size(), lane.key);
    }

    private CallTurn turn(Held h, Lane lane) {
        return new CallTurn() {
            @Override
            public boolean ours() {
                return !h.lost;
            }

            @Override
            public void lose() {
                h.lost = true;
            }

            @Override
            public boolean open() {
                return closing.getCount() > 0;
            }

            @Override
            public boolean firstHere() {
                synchronized (lanes) {
                    Map.Entry<String, Held> first = lane.calls.firstEntry();
                    return first == null || first.getValue() == h;
                }
            }

            @Override
            public Duration poll() {
                int count;
                synchronized (lanes) {
                    count = lanes.size();
                }
                return TURN_POLL.multipliedBy(Math.max(1, (count + maxHeld - 1) / maxHeld));
            }

            @Override
            public boolean pause(Duration d) throws InterruptedException {
                return !closing.await(d.toMillis(), TimeUnit.MILLISECONDS);
            }
        };
    }

    private void release(Lane lane, Held h) {
        held.remove(h.call.streamId(), h);
        synchronized (lanes) {
            lane.calls.remove(h.call.laneMember(), h);
        }
    }

    private void unlane(Held h) {
        synchronized (lanes) {
            Lane lane = lanes.get(h.laneKey);
            if (lane != null) {
                lane.calls.remove(h.call.laneMember(), h);
            }
        }
    }

    private void stop(Lane lane) {
        synchronized (lanes) {
            lane.working = false;
        }
    }

    private boolean awaitCalls(Duration timeout) {
        try {
            return calls.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
