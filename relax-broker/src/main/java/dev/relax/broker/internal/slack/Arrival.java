/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * When and how an event reached the broker, carried with it until it is in Redis: the receipt time (on the
 * broker's ticker, {@link System#nanoTime}) that the event-age histograms measure from, the transport it
 * came over, and its span (docs/operations.md, "Traces"), which ends once the event is in Redis or was
 * dropped. The span is set at most once, by the thread that received the event, before the event is
 * handed to the writer (which publishes it); it is invalid, a no-op, when tracing is off.
 */
public final class Arrival {
    /** How an event reached the broker; {@link #label()} is its metric tag and span attribute value. */
    public enum Transport {
        RTM("rtm"),
        SOCKET_MODE("socket_mode"),
        EVENTS_API("events_api"),
        /** Made by the broker itself ({@code disable_bot}, installation events): no Slack frame behind it. */
        BROKER("broker");

        private final String label;

        Transport(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Transport transport;
    private final long receivedNanos;
    private Span span = Span.getInvalid();
    /** Slack's own time of the event, epoch milliseconds; 0 when it has none. Set like {@link #span}. */
    private long slackMillis;

    private Arrival(Transport transport, long receivedNanos) {
        this.transport = transport;
        this.receivedNanos = receivedNanos;
    }

    /** An event received now over {@code transport}. */
    public static Arrival now(Transport transport) {
        return new Arrival(transport, System.nanoTime());
    }

    /** An event received at {@code receivedNanos} ({@link System#nanoTime}) over {@code transport}. */
    public static Arrival at(Transport transport, long receivedNanos) {
        return new Arrival(transport, receivedNanos);
    }

    public Transport transport() {
        return transport;
    }

    /** {@link System#nanoTime} when the frame or request holding the event was read. */
    public long receivedNanos() {
        return receivedNanos;
    }

    public Span span() {
        return span;
    }

    /** Sets the event's span, once, on the receiving thread, before the event goes to the writer. */
    public void span(Span span) {
        this.span = span;
    }

    /**
     * Slack's own time of the event, in Unix seconds as Slack writes it ({@code "1700000000.000200"}:
     * RTM's {@code event_ts} or {@code ts}, the Events API's {@code event_time}); ignored when empty or not
     * a number. Set, at most once, on the receiving thread, as {@link #span(Span)} is.
     */
    public void slackTime(String unixSeconds) {
        long plain = plainMillis(unixSeconds);
        if (plain >= 0) {
            slackMillis = plain;
            return;
        }
        try {
            slackMillis = unixSeconds.isEmpty()
                    ? 0
                    : new java.math.BigDecimal(unixSeconds).movePointRight(3).longValue();
        } catch (NumberFormatException e) {
            slackMillis = 0;
        }
    }

    /**
     * Slack's usual form, digits with an optional fraction ({@code 1700000000.000200}), as milliseconds
     * without a {@code BigDecimal} per event; -1 for any other text, which {@link #slackTime} reads the
     * general way.
     */
    private static long plainMillis(String s) {
        int n = s.length();
        long millis = 0;
        int i = 0;
        for (; i < n && s.charAt(i) != '.'; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || i >= 15) {
                return -1;
            }
            millis = millis * 10 + (c - '0');
        }
        if (i == 0) {
            return -1;
        }
        millis *= 1000;
        int scale = 100;
        for (i++; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            millis += scale * (c - '0');
            scale /= 10;
        }
        return millis;
    }

    /** Slack's own time of the event as epoch milliseconds ({@link #slackTime}), or 0 when unknown. */
    public long slackMillis() {
        return slackMillis;
    }

    /** The event is in Redis (pushed now, or found pushed already by another broker): its span ends. */
    public void stored() {
        span.end();
    }

    /** The event was not written ({@code why}: the buffer was full, the broker closed): its span ends in error. */
    public void lost(String why) {
        span.setStatus(StatusCode.ERROR, why);
        span.end();
    }
}
