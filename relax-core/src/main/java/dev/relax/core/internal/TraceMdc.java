/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.internal;

import org.slf4j.MDC;

/**
 * Puts a span's ids in the logging MDC as {@code trace_id} and {@code span_id} (the names OpenTelemetry's
 * log correlation uses) while an event or call is handled, and puts back what was there on {@link #close()}:
 * log lines of that work then name the trace a log shipper can link them to. Ids are strings, so that core
 * needs no OpenTelemetry type; a span without a valid context puts nothing. Not thread-safe: open and close
 * on one thread.
 */
public final class TraceMdc implements AutoCloseable {
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private static final TraceMdc NOTHING = new TraceMdc(null, null, false);

    private final String previousTrace;
    private final String previousSpan;
    private final boolean put;

    private TraceMdc(String previousTrace, String previousSpan, boolean put) {
        this.previousTrace = previousTrace;
        this.previousSpan = previousSpan;
        this.put = put;
    }

    /** Puts {@code traceId} and {@code spanId}; nothing when {@code valid} is false (no tracing). */
    public static TraceMdc put(boolean valid, String traceId, String spanId) {
        if (!valid) {
            return NOTHING;
        }
        TraceMdc restore = new TraceMdc(MDC.get(TRACE_ID), MDC.get(SPAN_ID), true);
        MDC.put(TRACE_ID, traceId);
        MDC.put(SPAN_ID, spanId);
        return restore;
    }

    @Override
    public void close() {
        if (!put) {
            return;
        }
        restore(TRACE_ID, previousTrace);
        restore(SPAN_ID, previousSpan);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
