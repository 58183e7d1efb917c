/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The relay scenario's figures for one concurrency level: per question, the time from the mention to the
 * first chunk in Slack, and the relay's overhead, that time minus the backend's own time to first byte
 * (from receiving the request to flushing the first chunk). Few samples per level (tens to hundreds), so
 * percentiles are nearest-rank over all of them rather than a histogram's buckets. Used by one thread.
 */
final class OverheadSamples {
    private final List<Long> firstChunkMicros = new ArrayList<>();
    private final List<Long> overheadMicros = new ArrayList<>();
    private final List<Long> backendMicros = new ArrayList<>();
    private final List<Long> inboundMicros = new ArrayList<>();
    private final List<Long> outboundMicros = new ArrayList<>();

    /**
     * One question: posted at {@code posted}, its first chunk shown (chat.startStream or chat.postMessage
     * recorded by Slack) at {@code firstVisible}, and the backend's {@code timing}: when it received the
     * request and when it flushed its first byte. The overhead is then the sum of the way in (mention to
     * request) and the way out (first byte to Slack).
     */
    void add(Instant posted, Instant firstVisible, TimedBackend.Timing timing) {
        long firstChunk = micros(Duration.between(posted, firstVisible));
        long backend = micros(timing.backendTime());
        firstChunkMicros.add(firstChunk);
        backendMicros.add(backend);
        overheadMicros.add(firstChunk - backend);
        inboundMicros.add(micros(Duration.between(posted, timing.received())));
        outboundMicros.add(micros(Duration.between(timing.firstByte(), firstVisible)));
    }

    int count() {
        return overheadMicros.size();
    }

    /** The overhead's p50 / p95 / max, such as {@code 12.3 ms / 20.0 ms / 31.4 ms}. */
    String overheadText() {
        return text(overheadMicros);
    }

    /** The same for the time from the mention to the first chunk in Slack. */
    String firstChunkText() {
        return text(firstChunkMicros);
    }

    /** The same for the backend's own time to first byte (the think time, and the backend's lateness). */
    String backendText() {
        return text(backendMicros);
    }

    /** The way in: from the mention to the backend's receiving the request. */
    String inboundText() {
        return text(inboundMicros);
    }

    /** The way out: from the backend's first byte to the first chunk in Slack. */
    String outboundText() {
        return text(outboundMicros);
    }

    /** The nearest-rank {@code p}th percentile (0 < p <= 100) of {@code values}, in microseconds. */
    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            throw new IllegalStateException("no samples");
        }
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    private static String text(List<Long> values) {
        return String.format(
                Locale.ROOT,
                "%.1f ms / %.1f ms / %.1f ms",
                percentile(values, 50) / 1000.0,
                percentile(values, 95) / 1000.0,
                percentile(values, 100) / 1000.0);
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }
}
