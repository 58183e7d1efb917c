/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most one log line per key (such as a refusal's result) per interval, so that a flood of bad requests
 * cannot flood the log; the line that is let through says how many were held back since the last one.
 * The counters stay exact: only lines are dropped. Thread-safe; the ticker is injected for tests.
 */
final class LogThrottle {
    /** Lines held back since the last one let through; -1 means "log this one". */
    static final long SUPPRESS = -1;

    private final long intervalNanos;
    private final LongSupplier ticker;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** The state of one key, guarded by its own monitor. */
    private static final class Window {
        long lastNanos;
        long suppressed;
        boolean logged;
    }

    LogThrottle(Duration interval, LongSupplier ticker) {
        this.intervalNanos = interval.toNanos();
        this.ticker = ticker;
    }

    /**
     * Whether a line for {@code key} may be logged now: {@link #SUPPRESS} when one was logged within the
     * interval (this one is counted as held back), else how many were held back before this one.
     */
    long admit(String key) {
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long now = ticker.getAsLong();
        synchronized (w) {
            if (w.logged && now - w.lastNanos < intervalNanos) {
                w.suppressed++;
                return SUPPRESS;
            }
            long held = w.suppressed;
            w.logged = true;
            w.lastNanos = now;
            w.suppressed = 0;
            return held;
        }
    }
}
