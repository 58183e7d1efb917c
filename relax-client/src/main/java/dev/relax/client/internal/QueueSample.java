/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.core.json.RelaxJson;
import dev.relax.core.json.RelaxJsonException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * What a consumer's heartbeat read of its queue: the events waiting, how long ago the oldest of them
 * happened (NaN when unknown), and the events in its own processing list. NaN throughout when Redis could
 * not be read.
 */
public record QueueSample(double queueLength, double oldestAgeSeconds, double processingLength) {
    /** Nothing known yet, or Redis could not be read. */
    public static final QueueSample UNKNOWN = new QueueSample(Double.NaN, Double.NaN, Double.NaN);

    /** Nanosecond stamps (the broker's clock) have 19 digits; Slack's {@code ts} are seconds with a fraction. */
    private static final int SECONDS_DIGITS = 12;

    /** A sample of a queue of {@code length} whose first event is {@code head} (null if empty), read at {@code now}. */
    /** The prefix of a {@code channel_joined}'s {@code event_timestamp} (docs/protocol.md). */
    private static final String CHANNEL_JOINED = "channel-joined-";

    static QueueSample of(long length, String head, long processing, Instant now) {
        return new QueueSample(length, head == null ? 0 : ageSeconds(head, now), processing);
    }

    /**
     * How long before {@code now} the event {@code raw} happened, by its {@code event_timestamp} (Slack's
     * {@code ts}/{@code event_ts}, or the broker's clock in nanoseconds): at least 0, since clocks differ;
     * NaN when the event has no such stamp (an unreadable event).
     */
    static double ageSeconds(String raw, Instant now) {
        String stamp;
        try {
            stamp = RelaxJson.decodeEvent(raw).eventTimestamp();
        } catch (RelaxJsonException e) {
            return Double.NaN;
        }
        Instant at = instant(stamp);
        if (at == null) {
            return Double.NaN;
        }
        Duration age = Duration.between(at, now);
        return age.isNegative() ? 0 : age.toNanos() / 1e9;
    }

    /**
     * {@code 1700040120.000300} (seconds), {@code 1700040120000300000} (nanoseconds) or a {@code
     * channel_joined}'s {@code channel-joined-<unix minute>-<channel>} (that minute); null for anything else.
     */
    static Instant instant(String stamp) {
        if (stamp.startsWith(CHANNEL_JOINED)) {
            int dash = stamp.indexOf('-', CHANNEL_JOINED.length());
            Instant minute = dash < 0 ? null : instant(stamp.substring(CHANNEL_JOINED.length(), dash));
            return minute == null ? null : Instant.ofEpochSecond(minute.getEpochSecond() * 60);
        }
        if (stamp.isEmpty() || stamp.length() > 30) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(stamp);
            boolean nanos = stamp.indexOf('.') < 0 && stamp.length() > SECONDS_DIGITS;
            BigDecimal seconds = nanos ? value.movePointLeft(9) : value;
            long whole = seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
            long nano = seconds.subtract(BigDecimal.valueOf(whole))
                    .movePointRight(9)
                    .longValue();
            return value.signum() > 0 ? Instant.ofEpochSecond(whole, nano) : null;
        } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
            return null;
        }
    }
}
