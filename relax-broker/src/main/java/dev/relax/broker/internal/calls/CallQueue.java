package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.Backoff;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.core.RelaxConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the calls stream for one broker: reads entries as consumer {@code <instance id>} of the group
 * {@code relax-brokers}, runs each on its own virtual thread, keeps its entries claimed while it works on
 * them, and takes over entries of brokers that went silent. The calls of one channel go one at a time in
 * stream order across the whole fleet: that order is kept by the lanes in Redis ({@link CallScripts}),
 * not by this broker, so an earlier call this broker takes over later never waits behind a later one.
 * At most {@code maxHeld} entries are held at once; the rest wait in the stream for whichever broker
 * has room.
 *
 * <p>Delivery is at least once: an entry stays pending until its result is stored, so a broker that dies
 * mid-call leaves it to another, which skips it when the result already exists. The window in which a
 * call can be made twice is between Slack's answer and the finishing script.
 *
 * <p>Owns its two Redis connections (one for the blocking read) and its threads; {@link #close()}
 * releases them and hands the entries it still holds to the next sweep of another broker.
 */
public final class CallQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallQueue.class);
    private static final int BATCH = 32;

    private static final Duration BLOCK = Duration.ofSeconds(1);
    private static final Duration TURN_WAIT = Duration.ofMillis(100);

    private final CallStore store;
    private final CallRunner runner;
    private final Duration claimIdle;
    /** Entries one broker holds at most; each waiting one polls its lane, so this bounds the polling too. */
    private final int maxHeld;

    private final StatefulRedisConnection<String, String> readerConnection;
    private final StatefulRedisConnection<String, String> commandConnection;
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("relax-call-", 0).factory());
    /** Entries this broker holds (read or claimed, not finished), by stream id. Written by every thread. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    private volatile boolean running;
    private volatile Thread reader;
    private volatile Thread sweeper;

    /** An entry this broker holds; {@code lost} once another broker took it over. */
    private static final class Held {
        volatile boolean lost;
    }

    /**
     * Connects two Redis connections of {@code redis} (closed by {@link #close()}); nothing runs until
     * {@link #start()}.
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
            int maxHeld) {
        this.claimIdle = claimIdle;
        this.maxHeld = maxHeld;
        this.readerConnection = redis.connect();
        try {
            this.commandConnection = redis.connect();
        } catch (RuntimeException e) {
            readerConnection.close();
            throw e;
        }
        String consumer = "broker-" + UUID.randomUUID();
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

    /** Creates the consumer group if needed and starts reading and sweeping. */
    public void start() {
        recreateGroup(); // when Redis refuses now, the reader creates it on its first NOGROUP
        running = true;
        reader = Thread.ofVirtual().name("relax-calls-reader").start(this::readLoop);
        sweeper = Thread.ofVirtual().name("relax-calls-sweeper").start(this::sweepLoop);
        log.info("serving Web API calls from {} as {}", "the calls stream", store.consumer());
    }

    private void readLoop() {
        int failures = 0;
        while (running) {
            try {
                int room = Math.min(BATCH, maxHeld - held.size());
                if (room <= 0) {
                    // Full: the stream keeps the rest for a broker with room, or for us once calls finish.
                    if (!pause(TURN_WAIT)) {
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
                Duration delay = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5)).ceiling(failures++);
                log.warn("cannot read the calls stream ({}); retrying in {} ms", e.toString(), delay.toMillis());
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    recreateGroup();
                }
                if (!pause(delay)) {
                    return;
                }
            }
        }
    }

    /** Every third of the claim idle time: keep our entries, drop the ones taken over, take dead brokers'. */
    private void sweepLoop() {
        Duration period = claimIdle.dividedBy(3);
        while (running) {
            try {
                List<String> lost = store.refresh(List.copyOf(held.keySet()), Duration.ZERO);
                for (String id : lost) {
                    Held h = held.remove(id);
                    if (h != null) {
                        h.lost = true;
                    }
                }
                int room = Math.min(BATCH, maxHeld - held.size());
                List<CallEntry> claimed = room > 0 ? store.claimIdle(claimIdle, room) : List.of();
                if (!claimed.isEmpty()) {
                    log.info("took over {} call(s) of a broker that went silent", claimed.size());
                }
                claimed.forEach(this::dispatch);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("cannot sweep the calls stream ({}); retrying", e.toString());
            }
            if (!pause(period)) {
                return;
            }
        }
    }

    private void dispatch(CallEntry call) {
        Held h = new Held();
        if (held.putIfAbsent(call.streamId(), h) != null) {
            return;
        }
        calls.execute(() -> {
            if (h.lost || !running) {
                return; // still held when closing: close() hands it over
            }
            try {
                runner.run(call, () -> running && !h.lost);
                if (running) {
                    // Closing, it stays held: close() hands it over (a no-op when it was finished).
                    held.remove(call.streamId(), h);
                }
            } catch (InterruptedException e) {
                // The broker is closing: the entry stays held, and close() hands it to another broker.
            } catch (RuntimeException e) {
                // Redis failed mid-call: left pending and no longer refreshed, so it is claimed again once idle.
                held.remove(call.streamId(), h);
                log.error("{} failed on this broker and will be retried: {}", call, e.toString());
            }
        });
    }

    private void recreateGroup() {
        try {
            store.createGroup();
        } catch (RuntimeException e) {
            log.debug("cannot create the calls group yet: {}", e.toString());
        }
    }

    private boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Stops reading, interrupts calls under way (their entries stay pending) and marks every entry still
     * held as idle, so that another broker's next sweep takes it over instead of waiting the claim idle time.
     */
    @Override
    public void close() {
        running = false;
        interrupt(reader);
        interrupt(sweeper);
        calls.shutdownNow();
        try {
            calls.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            List<String> ids = List.copyOf(held.keySet());
            if (!ids.isEmpty()) {
                store.refresh(ids, claimIdle);
                log.info("handed {} unfinished call(s) to the other brokers", ids.size());
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
