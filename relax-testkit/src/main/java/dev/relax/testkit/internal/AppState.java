/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.core.Secret;
import java.net.URI;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Slack app: its credentials, where it wants events (an Events API request URL, or Socket Mode when it
 * has none), its installations and its pending OAuth codes.
 */
public final class AppState {
    private final String id;
    private final String verificationToken;
    private final Ids ids;
    private final EventsApiSender sender;
    private final SocketModeDispatcher socketMode;

    private final Map<String, Installation> installations = new ConcurrentHashMap<>();
    /** OAuth codes not yet exchanged; each works once. */
    private final Map<String, Installation> codes = new ConcurrentHashMap<>();

    private volatile Secret appToken = Secret.of("");
    private volatile Secret signingSecret;
    private volatile String clientId;
    private volatile Secret clientSecret;
    private volatile URI eventsUrl;

    public AppState(String id, Ids ids, EventsApiSender sender, SocketModeDispatcher socketMode) {
        this.id = id;
        this.ids = ids;
        this.sender = sender;
        this.socketMode = socketMode;
        this.verificationToken = ids.secret().substring(0, 24);
        this.signingSecret = Secret.of(ids.secret());
        this.clientId = ids.epochSeconds() + "." + Math.abs(id.hashCode());
        this.clientSecret = Secret.of(ids.secret());
    }

    public String id() {
        return id;
    }

    public String verificationToken() {
        return verificationToken;
    }

    public Secret appToken() {
        return appToken;
    }

    public void appToken(Secret token) {
        appToken = token;
    }

    public Secret signingSecret() {
        return signingSecret;
    }

    public void signingSecret(Secret secret) {
        signingSecret = secret;
    }

    public String clientId() {
        return clientId;
    }

    public Secret clientSecret() {
        return clientSecret;
    }

    public void credentials(String newClientId, Secret newClientSecret) {
        clientId = newClientId;
        clientSecret = newClientSecret;
    }

    public URI eventsUrl() {
        return eventsUrl;
    }

    public void eventsUrl(URI url) {
        eventsUrl = url;
    }

    public SocketModeDispatcher socketMode() {
        return socketMode;
    }

    public void install(Installation installation) {
        installations.put(installation.teamId(), installation);
    }

    public Installation installation(String teamId) {
        return installations.get(teamId);
    }

    public Collection<Installation> installations() {
        return installations.values();
    }

    public String newCode(Installation installation) {
        String code = ids.epochSeconds() + "." + ids.secret();
        codes.put(code, installation);
        return code;
    }

    /** The installation of an unused code, consuming it; {@code null} for an unknown or used code. */
    public Installation redeem(String code) {
        return code == null ? null : codes.remove(code);
    }

    /** Delivers the Events API forms of an RTM event, each with its own {@code event_id}. */
    public void deliver(TeamState team, Installation installation, ObjectNode rtmEvent) {
        for (ObjectNode event : EventsApiTranslator.translate(rtmEvent, team, installation.botUserId())) {
            String eventId = ids.eventId();
            String body = Json.write(
                    Payloads.eventCallback(installation, event, eventId, ids.epochSeconds(), verificationToken));
            URI url = eventsUrl;
            if (url != null) {
                sender.send(this, url, eventId, body);
            } else {
                socketMode.dispatch("events_api", body, false);
            }
        }
    }
}
