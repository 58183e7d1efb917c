/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * A phase of load on a fleet: the events are sent once each, to every socket of their team (as Slack
 * does for each connection of a bot), so each broker holding the team writes them and Redis dedupes all
 * but the first. Counts the distinct events pushed (all brokers' {@code relax_events_out_total}), the
 * copies deduplicated, the CPU of each broker, and what Redis did for them ({@link RedisInfo}).
 */
final class FleetLoad {
    private final RedisServer redis;
    private final List<BrokerUnderTest> brokers;

    FleetLoad(RedisServer redis, List<BrokerUnderTest> brokers) {
        this.redis = redis;
        this.brokers = List.copyOf(brokers);
    }

    /**
     * One phase's figures.
     *
     * @param phase the events, latencies and loss; its broker CPU the mean of the brokers'
     * @param brokerCpu percent of a core of each broker
     * @param deduplicated copies of events that a broker wrote and Redis found already pushed
     * @param redis what Redis did during the phase
     * @param redisNanos the time between the two samples of {@code redis}
     */
    record Result(Phase phase, double[] brokerCpu, long deduplicated, RedisInfo redis, long redisNanos) {
        /** Mean broker CPU, and the busiest broker's. */
        String brokerCpuText() {
            double max = 0;
            double sum = 0;
            for (double c : brokerCpu) {
                max = Math.max(max, c);
                sum += c;
            }
            return String.format(Locale.ROOT, "%.1f%% of a core (busiest %.1f%%)", sum / brokerCpu.length, max);
        }

        /**
         * Redis CPU µs per pushed event beyond what Redis spends when no events flow ({@code
         * idleMicrosPerSecond}: its timers, the brokers' heartbeats and blocking reads), and Redis's CPU in
         * percent of a core, idle included.
         */
        String redisCostText(double idleMicrosPerSecond) {
            return String.format(
                    Locale.ROOT,
                    "%.1f µs (Redis at %.1f%% of a core)",
                    redisMicrosPerEvent(idleMicrosPerSecond),
                    phase.redisCpu());
        }

        double redisMicrosPerEvent(double idleMicrosPerSecond) {
            double busy = redis.cpuMicros() - idleMicrosPerSecond * redisNanos / 1e9;
            return busy / Math.max(1, phase.pushed());
        }
    }

    /** Sends {@code count} events at {@code rate} (0: at once) and waits until every broker pushed or stalled. */
    Result phase(EventSource source, EventSink sink, long count, int rate) throws InterruptedException {
        long from = source.nextSeq();
        if (sink != null) {
            sink.startPhase(from);
        }
        long dups0 = sink == null ? 0 : sink.duplicates();
        double reconnects0 = sum("relax_reconnects_total");
        double out0 = sum("relax_events_out_total");
        double dedup0 = sum("relax_events_deduplicated_total");
        List<ProcStats> cpu0 = stats();
        RedisInfo redis0 = RedisInfo.of(redis.port());
        long t0 = System.nanoTime();
        long redisT0 = t0;
        long sendNanos = source.send(count, rate);
        long to = source.nextSeq();
        if (sink != null) {
            sink.endPhase(to);
        }
        // Until the brokers' counters say all were pushed, or stop moving for 15 s (polled every 100 ms).
        long doneAt = -1;
        long lastProgress = System.nanoTime();
        double lastOut = out0;
        while (System.nanoTime() - lastProgress < Duration.ofSeconds(15).toNanos()) {
            double out = sum("relax_events_out_total");
            if (out - out0 >= count) {
                doneAt = System.nanoTime();
                break;
            }
            if (out > lastOut) {
                lastOut = out;
                lastProgress = System.nanoTime();
            }
            Thread.sleep(100);
        }
        long pushedAt = doneAt > 0 ? doneAt : lastProgress;
        // The other copies may still be on their way: wait for the deduplicated counter to settle too.
        double dedup = sum("relax_events_deduplicated_total");
        for (int quiet = 0; quiet < 5; ) {
            Thread.sleep(100);
            double now = sum("relax_events_deduplicated_total");
            quiet = now == dedup ? quiet + 1 : 0;
            dedup = now;
        }
        List<ProcStats> cpu1 = stats();
        RedisInfo delta = RedisInfo.of(redis.port()).minus(redis0);
        long redisNanos = System.nanoTime() - redisT0;
        double[] brokerCpu = new double[brokers.size()];
        for (int i = 0; i < brokerCpu.length; i++) {
            brokerCpu[i] = cpu1.get(i).cpuPercentSince(cpu0.get(i), pushedAt - t0);
        }
        long lost = 0;
        Histogram h = new Histogram(3);
        if (sink != null) {
            long sinkDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (sink.receivedIn(from, to) < count && System.nanoTime() < sinkDeadline) {
                Thread.sleep(20);
            }
            h = sink.takeHistogram();
            lost = count - sink.receivedIn(from, to);
        }
        double pushed = sum("relax_events_out_total") - out0;
        double mean = 0;
        for (double c : brokerCpu) {
            mean += c / brokerCpu.length;
        }
        Phase p = new Phase(
                count,
                rate,
                sendNanos,
                pushedAt - t0,
                (long) pushed,
                lost,
                sink == null ? 0 : sink.duplicates() - dups0,
                (long) (sum("relax_reconnects_total") - reconnects0),
                h,
                mean,
                100.0 * delta.cpuMicros() / ((pushedAt - t0) / 1e3));
        System.out.println("fleet phase: " + p + ", redis calls/event " + delta.callsPerEvent(Math.max(1, p.pushed())));
        return new Result(p, brokerCpu, (long) (dedup - dedup0), delta, redisNanos);
    }

    private double sum(String metric) {
        double total = 0;
        for (BrokerUnderTest b : brokers) {
            total += b.metricSum(metric);
        }
        return total;
    }

    private List<ProcStats> stats() {
        List<ProcStats> out = new ArrayList<>(brokers.size());
        for (BrokerUnderTest b : brokers) {
            out.add(b.pid() > 0 ? ProcStats.of(b.pid()) : new ProcStats(-1, -1, -1));
        }
        return out;
    }
}
