/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The consumer: pops the events queue as fast as Redis hands it out ({@code LPOP key 1000}, then a short
 * {@code BLPOP} when it is empty), and for each event of the harness ({@code "text":"b <seq> <nanos>"})
 * records the latency from its intended send time and whether its sequence number was seen before.
 */
final class EventSink implements AutoCloseable {
    private static final String MARK = "\"text\":\"b ";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    /** For {@link #queueLength()}: the popping connection may be blocked in BLPOP. */
    private final StatefulRedisConnection<String, String> probe;

    private final String queue;
    private final Thread thread;
    private final BitSet seen = new BitSet();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    /** Thread-safe interval histograms: the sink records, the harness takes one per phase. */
    private final Recorder latencies = new Recorder(TimeUnit.MINUTES.toMicros(5), 3);
    /** Only events with sequence numbers in [phaseFrom, phaseTo) count in the phase's latencies. */
    private volatile long phaseFrom;

    private volatile long phaseTo = Long.MAX_VALUE;
    private volatile boolean running = true;

    EventSink(int redisPort, String queue) {
        this.client = RedisClient.create(RedisURI.create("127.0.0.1", redisPort));
        this.connection = client.connect();
        this.probe = client.connect();
        this.queue = queue;
        this.thread = Thread.ofPlatform().name("bench-sink").daemon().start(this::run);
    }

    private void run() {
        var redis = connection.sync();
        while (running) {
            try {
                List<String> batch = redis.lpop(queue, 1000);
                if (batch == null || batch.isEmpty()) {
                    var one = redis.blpop(0.05, queue);
                    if (one != null && one.hasValue()) {
                        record(one.getValue(), System.nanoTime());
                    }
                    continue;
                }
                long now = System.nanoTime();
                for (String event : batch) {
                    record(event, now);
                }
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println("sink: cannot pop " + queue + ": " + e);
                }
            }
        }
    }

    /**
     * Records one popped event. One that is not the harness's or cannot be read is skipped without
     * dropping the rest of its batch; its sequence number, never seen, counts as lost.
     */
    private void record(String event, long now) {
        try {
            recordOrThrow(event, now);
        } catch (RuntimeException unreadable) {
            // skipped: see above
        }
    }

    private void recordOrThrow(String event, long now) {
        int at = event.indexOf(MARK);
        if (at < 0) {
            return;
        }
        int i = at + MARK.length();
        long seq = 0;
        while (event.charAt(i) != ' ') {
            seq = seq * 10 + (event.charAt(i++) - '0');
        }
        i++;
        long sent = 0;
        boolean negative = event.charAt(i) == '-';
        if (negative) {
            i++;
        }
        char c;
        while ((c = event.charAt(i)) >= '0' && c <= '9') {
            sent = sent * 10 + (c - '0');
            i++;
        }
        if (negative) {
            sent = -sent;
        }
        int index = Math.toIntExact(seq);
        synchronized (seen) {
            if (seen.get(index)) {
                duplicates.incrementAndGet();
                return; // a duplicate's latency is not a delivery's
            }
            seen.set(index);
        }
        received.incrementAndGet();
        if (seq >= phaseFrom && seq < phaseTo) {
            latencies.recordValue(Math.min(Math.max(0, (now - sent) / 1000), TimeUnit.MINUTES.toMicros(5)));
        }
    }

    /** Distinct harness events received so far. */
    long received() {
        return received.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    /** Distinct events with sequence numbers in {@code [from, to)} received. */
    long receivedIn(long from, long to) {
        synchronized (seen) {
            return seen.get((int) from, (int) to).cardinality();
        }
    }

    /** Events on the queue not popped yet (LLEN). */
    long queueLength() {
        return probe.sync().llen(queue);
    }

    /** Starts a phase: latencies are recorded for sequence numbers from {@code from} on. */
    void startPhase(long from) {
        phaseFrom = from;
        phaseTo = Long.MAX_VALUE;
        latencies.reset();
    }

    /** Ends the phase's sequence range (events after it, such as the next phase's, are not recorded). */
    void endPhase(long to) {
        phaseTo = to;
    }

    /** The phase's latencies in microseconds (first arrivals only). */
    Histogram takeHistogram() {
        return latencies.getIntervalHistogram();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
        probe.close();
        client.shutdown();
    }
}
