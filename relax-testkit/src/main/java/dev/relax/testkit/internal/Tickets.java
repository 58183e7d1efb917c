/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one-use websocket URLs handed out by rtm.connect, rtm.start and apps.connections.open. Slack's are
 * "single-use and only valid for 30 seconds" (https://api.slack.com/rtm); so are these, for the
 * configured lifetime. Thread-safe.
 */
public final class Tickets {
    /** What a ticket opens: a socket for this token. */
    public record Ticket(Tokens.Grant grant, Instant expires) {}

    private static final int PURGE_THRESHOLD = 1_000;

    private final Clock clock;
    private final Duration ttl;
    private final Ids ids;
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();

    public Tickets(Clock clock, Duration ttl, Ids ids) {
        this.clock = clock;
        this.ttl = ttl;
        this.ids = ids;
    }

    public String issue(Tokens.Grant grant) {
        Instant now = clock.instant();
        if (tickets.size() > PURGE_THRESHOLD) {
            tickets.values().removeIf(ticket -> ticket.expires().isBefore(now));
        }
        String value = ids.secret();
        tickets.put(value, new Ticket(grant, now.plus(ttl)));
        return value;
    }

    /** The ticket, consumed; {@code null} when unknown, used or expired. */
    public Ticket redeem(String value) {
        Ticket ticket = value == null ? null : tickets.remove(value);
        return ticket == null || ticket.expires().isBefore(clock.instant()) ? null : ticket;
    }
}
