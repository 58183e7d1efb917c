/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongPredicate;
import org.HdrHistogram.Histogram;

/**
 * How the harness measures a broker under test: connect time, a {@link Sample} at rest, a {@link Phase}
 * of load (sent, pushed per the broker's counters, popped by the sink, CPU per process), and the
 * formatting of the figures in the report. For a broker without metrics (the Go broker) events pushed are
 * counted on the queue's side (popped by the sink plus LLEN), and heap and reconnects are n/a.
 */
final class Measurements {
    private static final Duration CONNECT_DEADLINE = Duration.ofSeconds(60);

    private final RedisServer redis;
    private final Profile profile;

    Measurements(RedisServer redis, Profile profile) {
        this.redis = redis;
        this.profile = profile;
    }

    /** Lets the broker settle, then samples it over the profile's idle window. */
    Sample idle(BrokerUnderTest broker) throws InterruptedException {
        Thread.sleep(10_000); // let the connect storm's JIT compilation, garbage and threads settle
        long pid = broker.pid();
        ProcStats before = pid > 0 ? ProcStats.of(pid) : null;
        double reconnects0 = broker.metricSum("relax_reconnects_total");
        Map<String, Long> threads0 = pid > 0 ? ProcStats.threadTicks(pid) : Map.of();
        long t0 = System.nanoTime();
        Thread.sleep(profile.idleWindow().toMillis());
        long elapsed = System.nanoTime() - t0;
        if (pid > 0) {
            System.out.println("  idle broker threads by CPU (of a core): "
                    + ProcStats.topThreads(threads0, ProcStats.threadTicks(pid), elapsed, 8));
        }
        ProcStats after = pid > 0 ? ProcStats.of(pid) : null;
        long reconnects = broker.hasMetrics() ? (long) (broker.metricSum("relax_reconnects_total") - reconnects0) : -1;
        broker.gc();
        Thread.sleep(500);
        double heap = broker.hasMetrics() ? broker.metricSum("jvm_memory_used_bytes", "area=\"heap\"") : Double.NaN;
        double threads = broker.metricSum("jvm_threads_live_threads");
        Sample s = new Sample(
                after == null ? -1 : after.rssKb(),
                heap,
                after == null ? (long) threads : after.threads(),
                after == null ? Double.NaN : after.cpuPercentSince(before, elapsed),
                reconnects);
        System.out.println("idle: " + s);
        return s;
    }

    /** Sends {@code count} events at {@code rate} (0: at once) and waits until every one arrived or stopped coming. */
    Phase phase(BrokerUnderTest broker, EventSource source, EventSink sink, long count, int rate)
            throws InterruptedException {
        return phase(broker, source, sink, count, rate, 0);
    }

    /**
     * As {@link #phase(BrokerUnderTest, EventSource, EventSink, long, int)}; with a {@code window} over 0,
     * as fast as the broker and the consumer keep up: at most {@code window} events sent and not yet popped.
     */
    Phase phase(BrokerUnderTest broker, EventSource source, EventSink sink, long count, int rate, int window)
            throws InterruptedException {
        long from = source.nextSeq();
        sink.startPhase(from);
        long dups0 = sink.duplicates();
        double reconnects0 = broker.metricSum("relax_reconnects_total");
        double out0 = broker.metricSum("relax_events_out_total");
        long pid = broker.pid();
        OptionalLong redisPid = redis.pid();
        ProcStats b0 = pid > 0 ? ProcStats.of(pid) : null;
        ProcStats r0 = redisPid.isPresent() ? ProcStats.of(redisPid.getAsLong()) : null;
        Map<String, Long> threads0 = pid > 0 ? ProcStats.threadTicks(pid) : Map.of();
        long t0 = System.nanoTime();
        long sendNanos =
                window <= 0 ? source.send(count, rate) : source.send(count, rate, new Window(sink, from, window));
        long to = source.nextSeq();
        sink.endPhase(to);
        // Popped, then queued: read in this order the sum never runs ahead of what was pushed.
        DoubleSupplier pushedSoFar = broker.hasMetrics()
                ? () -> broker.metricSum("relax_events_out_total") - out0
                : () -> sink.receivedIn(from, to) + sink.queueLength();
        // Wait for the broker to have pushed them all, noting when it did.
        // Polled every 100 ms: often enough for a throughput over seconds, rarely enough not to load the broker.
        long doneAt = -1;
        long lastProgress = System.nanoTime();
        double lastOut = 0;
        while (System.nanoTime() - lastProgress < Duration.ofSeconds(15).toNanos()) {
            double out = pushedSoFar.getAsDouble();
            if (out >= count) {
                doneAt = System.nanoTime();
                break;
            }
            if (out > lastOut) {
                lastOut = out;
                lastProgress = System.nanoTime();
            }
            Thread.sleep(100);
        }
        // When not all were pushed, the rate is over the time until the last progress, not the stall after.
        long pushedAt = doneAt > 0 ? doneAt : lastProgress;
        ProcStats b1 = pid > 0 ? ProcStats.of(pid) : null;
        ProcStats r1 = redisPid.isPresent() ? ProcStats.of(redisPid.getAsLong()) : null;
        if (pid > 0) {
            System.out.println("  broker threads by CPU (of a core): "
                    + ProcStats.topThreads(threads0, ProcStats.threadTicks(pid), pushedAt - t0, 8));
        }
        // Then for the sink to have popped them.
        long sinkDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sink.receivedIn(from, to) < count && System.nanoTime() < sinkDeadline) {
            Thread.sleep(20);
        }
        Histogram h = sink.takeHistogram();
        double pushed = pushedSoFar.getAsDouble();
        Phase p = new Phase(
                count,
                rate,
                sendNanos,
                pushedAt - t0,
                (long) pushed,
                count - sink.receivedIn(from, to),
                sink.duplicates() - dups0,
                broker.hasMetrics() ? (long) (broker.metricSum("relax_reconnects_total") - reconnects0) : -1,
                h,
                b0 == null ? Double.NaN : b1.cpuPercentSince(b0, pushedAt - t0),
                r0 == null ? Double.NaN : r1.cpuPercentSince(r0, pushedAt - t0));
        System.out.println("phase: " + p);
        return p;
    }

    /**
     * Seconds from {@code startedNanos} until {@code open} reaches {@code n}; fails with how many were up
     * when the deadline passed or the broker's process ended.
     */
    static double awaitConnected(IntSupplier open, int n, BrokerUnderTest broker, long startedNanos)
            throws InterruptedException {
        long deadline = startedNanos + CONNECT_DEADLINE.toNanos();
        int up;
        while ((up = open.getAsInt()) < n) {
            if (!broker.alive()) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT, "%,d of %,d connected, then the broker exited (%s)", up, n, broker.logHint()));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT, "%,d of %,d connected after %d s", up, n, CONNECT_DEADLINE.toSeconds()));
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Fails the scenario, after its figures, when the broker's process ended during {@code phase}. */
    static void requireAlive(BrokerUnderTest broker, String phase) {
        if (!broker.alive()) {
            throw new IllegalStateException("the broker exited during '" + phase + "' (" + broker.logHint() + ")");
        }
    }

    /** The simulator's open connections of {@code teams}. */
    static int open(List<EventSource.Team> teams) {
        int open = 0;
        for (EventSource.Team t : teams) {
            open += t.workspace().openConnections();
        }
        return open;
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    static String percent(double p) {
        return Double.isNaN(p) ? "n/a" : String.format(Locale.ROOT, "%.1f%% of a core", p);
    }

    /**
     * At most {@code size} events sent and not yet popped. A broker that loses events would hold the window
     * shut for ever: after {@link #STALL} without an event popped, the window opens for the rest, which the
     * phase then counts as lost or late.
     */
    private static final class Window implements LongPredicate {
        private static final long STALL = Duration.ofSeconds(10).toNanos();
        private final EventSink sink;
        private final long from;
        private final long received0;
        private final int size;
        private long lastReceived;
        private long lastProgress = System.nanoTime();
        private boolean open;

        Window(EventSink sink, long from, int size) {
            this.sink = sink;
            this.from = from;
            this.received0 = sink.received();
            this.size = size;
            this.lastReceived = received0;
        }

        @Override
        public boolean test(long seq) {
            long received = sink.received();
            if (open || seq - from - (received - received0) < size) {
                return true;
            }
            long now = System.nanoTime();
            if (received != lastReceived) {
                lastReceived = received;
                lastProgress = now;
            } else if (now - lastProgress > STALL) {
                System.out.println("  window: nothing popped for 10 s; sending the rest at once");
                open = true;
            }
            return open;
        }
    }
}
