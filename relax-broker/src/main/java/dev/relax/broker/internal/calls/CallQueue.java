package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.Backoff;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.core.RelaxConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
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
 * Serves the calls stream for one broker: reads entries as consumer {@code broker-<uuid>} of the group
 * {@code relax-brokers}, keeps them claimed while it works on them, and takes over entries that nobody
 * works on. The calls of one channel go one at a time in stream order across the whole fleet: that order
 * is kept by the lanes in Redis ({@link CallScripts}); within this broker the calls of one channel wait in
 * a local lane, run by one virtual thread, earliest first, so that only one of them polls Redis.
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
    /** How often a call whose turn has not come asks again, when the broker has at most maxHeld lanes. */
    private static final Duration TURN_POLL = Duration.ofMillis(100);
    /** Lane members one sweep looks at. */
    private static final int SCRUB_CHUNK = 200;
    /** A consumer with nothing pending is deleted once idle this many claim idle times. */
    private static final int CONSUMER_IDLE_FACTOR = 10;

    private final CallStore store;
    private final CallRunner runner;
    private final Duration claimIdle;
    /** New entries this broker reads while it holds fewer; takeovers are not bounded by it. */
    private final int maxHeld;

    private final Duration shutdownTimeout;
    private final StatefulRedisConnection<String, String> readerConnection;
    private final StatefulRedisConnection<String, String> commandConnection;
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("relax-call-", 0).factory());
    /** Entries this broker holds (read or taken over, not finished), by stream id. Written by every thread. */
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
    /** Counted down when close() starts: calls waiting for their turn wake and are handed over. */
    private final CountDownLatch closing = new CountDownLatch(1);

    /** Reading and taking over; false once close() starts. */
    private volatile boolean running;
    /** Refreshing what is held; stays on while calls drain at close. */
    private volatile boolean sweeping;
    /** Set when close() gave up on the calls still at Slack at the deadline. */
    private volatile boolean abandoned;
    /** Whether the stream and the group exist (an app has queued a call). */
    private volatile boolean groupReady;

    private volatile Thread reader;
    private volatile Thread sweeper;
    /** Where the sweep's walk through the lanes goes on; the sweeper thread's. */
    private String scrubFrom = "";

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

    /**
     * Connects two Redis connections of {@code redis} (closed by {@link #close()}); nothing runs until
     * {@link #start()}.
     *
     * @param shutdownTimeout how long {@link #close()} lets calls already at Slack finish
     * @param maxHeld new entries read while this broker holds fewer
     * @param consumer this broker in the consumer group: {@code broker-<broker id>}
     */
    public CallQueue(
            RedisClient redis,
            RelaxConfig config,
            SlackWebApi slack,
            BrokerMetrics metrics,
            ObjectMapper json,
            Duration interval,
            int maxAttempts,
            Duration claimIdle,
            int maxHeld,
            Duration shutdownTimeout,
            String consumer) {
        this.claimIdle = claimIdle;
        this.maxHeld = maxHeld;
        this.shutdownTimeout = shutdownTimeout;
        this.readerConnection = redis.connect();
        try {
            this.commandConnection = redis.connect();
        } catch (RuntimeException e) {
            readerConnection.close();
            throw e;
        }
        this.store = new CallStore(readerConnection, commandConnection, config, consumer, json);
        this.runner = new CallRunner(
                store,
                slack,
                metrics,
                json,
                interval,
                maxAttempts,
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)));
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
                int room = Math.min(BATCH, maxHeld - held.size());
                if (room <= 0) {
                    // Full: the stream keeps the rest for a broker with room, or for us once calls finish.
                    if (!sleep(FULL_WAIT)) {
                        return;
                    }
                    continue;
                }
                CallStore.Batch batch = store.read(room);
                batch.entries().forEach(this::dispatch);
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
                Duration delay = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5)).ceiling(failures++);
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
        if (!running) {
            return; // closing: keep refreshing what drains, take nothing more
        }
        int taken = 0;
        String cursor = "0-0";
        do {
            CallStore.Claimed claimed = store.claimIdle(claimIdle, BATCH, cursor);
            claimed.entries().forEach(this::dispatch);
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

    /** Holds {@code call} and queues it in its local lane. */
    private void dispatch(CallEntry call) {
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
                Duration delay = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5)).ceiling(failures++);
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

    private CallRunner.Turn turn(Held h, Lane lane) {
        return new CallRunner.Turn() {
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
        closing.countDown();
        interrupt(reader);
        calls.shutdown();
        if (!awaitCalls(shutdownTimeout)) {
            abandoned = true;
            log.warn(
                    "calls still at Slack at the shutdown deadline ({} ms) are abandoned; the broker that takes"
                            + " them over finds their outcome unknown",
                    shutdownTimeout.toMillis());
            calls.shutdownNow();
            awaitCalls(Duration.ofSeconds(2));
        }
        sweeping = false;
        interrupt(sweeper);
        try {
            List<String> ids = List.copyOf(held.keySet());
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

    private boolean awaitCalls(Duration timeout) {
        try {
            return calls.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
