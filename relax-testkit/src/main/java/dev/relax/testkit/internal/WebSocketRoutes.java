/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * Decides what a websocket upgrade becomes: {@code /websocket/<ticket>} an RTM socket, {@code
 * /link/?ticket=…&app_id=…} a Socket Mode socket. While the simulator refuses connections every upgrade
 * is answered with HTTP 503.
 */
final class WebSocketRoutes {
    private final SimulatorCore core;

    WebSocketRoutes(SimulatorCore core) {
        this.core = core;
    }

    WebSocketCreator rtm() {
        return (request, response, callback) -> {
            if (refused(request, response, callback)) {
                return null;
            }
            String path = request.getHttpURI().getPath();
            String ticket = path.substring(path.lastIndexOf('/') + 1);
            // An unknown or expired URL still upgrades: Slack then sends an error event and closes.
            return new RtmEndpoint(core, core.tickets().redeem(ticket));
        };
    }

    WebSocketCreator socketMode() {
        return (request, response, callback) -> {
            if (refused(request, response, callback)) {
                return null;
            }
            Tickets.Ticket ticket = core.tickets().redeem(queryParameter(request, "ticket"));
            AppState app = ticket == null ? null : core.app(ticket.grant().appId());
            if (app == null || ticket.grant().state() != Tokens.State.ACTIVE) {
                Response.writeError(request, response, callback, 401, "invalid or expired ticket");
                return null;
            }
            return new SocketModeEndpoint(core, app, ticket.grant());
        };
    }

    private boolean refused(
            ServerUpgradeRequest request, ServerUpgradeResponse response, org.eclipse.jetty.util.Callback callback) {
        if (!core.faults().refusingConnections()) {
            return false;
        }
        Response.writeError(request, response, callback, 503, "refusing connections");
        return true;
    }

    private static String queryParameter(ServerUpgradeRequest request, String name) {
        String query = request.getHttpURI().getQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
