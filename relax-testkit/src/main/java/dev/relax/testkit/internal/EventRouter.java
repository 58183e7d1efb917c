/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;

/**
 * Fans a workspace event out: its RTM form to the RTM sockets of the workspace's bots, its Events API
 * forms to every app installed in the workspace. The event is serialised once and written
 * asynchronously to each socket, so publishing costs no blocking I/O.
 */
public final class EventRouter {
    private final Clock clock;

    public EventRouter(Clock clock) {
        this.clock = clock;
    }

    /** To every RTM socket of the team except {@code except} (may be null), and to the team's apps. */
    public void publish(TeamState team, ObjectNode event, SocketConnection except) {
        toRtm(team, event, except, null);
        toApps(team, event);
    }

    /** To the team's RTM sockets, except {@code except}, or only those of bot user {@code onlyUser} when not null. */
    public void toRtm(TeamState team, ObjectNode event, SocketConnection except, String onlyUser) {
        if (team.rtmConnections().isEmpty()) {
            return;
        }
        String text = Json.write(event);
        Instant at = clock.instant();
        for (SocketConnection connection : team.rtmConnections()) {
            if (connection != except && (onlyUser == null || onlyUser.equals(connection.userId()))) {
                connection.send(text, at);
            }
        }
    }

    public void toApps(TeamState team, ObjectNode event) {
        for (Installation installation : team.installations()) {
            installation.app().deliver(team, installation, event);
        }
    }
}
