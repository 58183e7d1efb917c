/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Message timestamps and the other identifiers Slack hands out. Thread-safe; one per simulator, so two
 * simulators in one JVM never share state.
 */
public final class Ids {
    private final Clock clock;
    /** Microseconds of the last ts handed out; only ever grows. */
    private final AtomicLong lastMicros = new AtomicLong();

    private final AtomicLong serial = new AtomicLong();

    public Ids(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public long epochSeconds() {
        return clock.instant().getEpochSecond();
    }

    /**
     * A message timestamp such as {@code 1700000000.000100}: seconds, a dot and six digits of
     * microseconds, unique and increasing across the simulator, so that it can identify a message as
     * Slack's {@code ts} does (https://api.slack.com/messaging/retrieving#individual_messages).
     */
    public String nextTs() {
        Instant now = clock.instant();
        long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        long micros = lastMicros.updateAndGet(previous -> Math.max(previous + 1, nowMicros));
        String fraction = Long.toString(micros % 1_000_000L);
        return micros / 1_000_000L + "." + "000000".substring(fraction.length()) + fraction;
    }

    /** An id with Slack's shape: a prefix letter or two and upper-case base-36 digits, e.g. {@code D00000A1}. */
    public String next(String prefix) {
        String digits = Long.toString(serial.incrementAndGet(), 36).toUpperCase(Locale.ROOT);
        return prefix + "0".repeat(Math.max(0, 8 - digits.length())) + digits;
    }

    /** An Events API event id such as {@code Ev0000001F}. */
    public String eventId() {
        return next("Ev");
    }

    public String uuid() {
        return UUID.randomUUID().toString();
    }

    /** An unguessable token for one websocket URL or one OAuth code. */
    public String secret() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }
}
