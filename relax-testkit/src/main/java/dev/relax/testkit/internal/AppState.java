/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.core.Secret;
import dev.relax.testkit.OAuthConsent;
import dev.relax.testkit.OAuthInstallation;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

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
    private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();
    /** Redirect URLs of the app's OAuth settings, in the order registered. */
    private final List<String> redirectUrls = new CopyOnWriteArrayList<>();

    private final List<OAuthConsent> consents = new CopyOnWriteArrayList<>();
    private final List<OAuthInstallation> oauthInstallations = new CopyOnWriteArrayList<>();

    private volatile Secret appToken = Secret.of("");
    private volatile Secret signingSecret;
    private volatile String clientId;
    private volatile Secret clientSecret;
    private volatile URI eventsUrl;
    /** The lifetime of access tokens with token rotation on, or {@code null} when tokens never expire. */
    private volatile Duration tokenLifetime;

    private volatile boolean orgWideInstall;

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

    public void uninstall(String teamId) {
        installations.remove(teamId);
    }

    /** A new one-use code for what {@code pending} describes, in Slack's shape ({@code <digits>.<digits>.<hex>}). */
    public String newCode(PendingCode pending) {
        String code = ids.epochSeconds() + "." + Math.abs(id.hashCode()) + "." + ids.secret() + ids.secret();
        codes.put(code, pending);
        return code;
    }

    /** The pending code, consuming it; {@code null} for an unknown or used code. */
    public PendingCode redeem(String code) {
        return code == null ? null : codes.remove(code);
    }

    public List<String> redirectUrls() {
        return redirectUrls;
    }

    public Duration tokenLifetime() {
        return tokenLifetime;
    }

    public void tokenLifetime(Duration lifetime) {
        tokenLifetime = lifetime;
    }

    public boolean orgWideInstall() {
        return orgWideInstall;
    }

    public void orgWideInstall(boolean allowed) {
        orgWideInstall = allowed;
    }

    public void record(OAuthConsent consent) {
        consents.add(consent);
    }

    public List<OAuthConsent> consents() {
        return List.copyOf(consents);
    }

    public void record(OAuthInstallation installation) {
        oauthInstallations.add(installation);
    }

    public List<OAuthInstallation> oauthInstallations() {
        return List.copyOf(oauthInstallations);
    }

    /** When an access token issued now expires, or {@code null} without token rotation. */
    public Instant expiry() {
        Duration lifetime = tokenLifetime;
        return lifetime == null ? null : ids.now().plus(lifetime);
    }

    /** Delivers the Events API forms of an RTM event, each with its own {@code event_id}. */
    public void deliver(TeamState team, Installation installation, ObjectNode rtmEvent) {
        for (ObjectNode event : EventsApiTranslator.translate(rtmEvent, team, installation.botUserId())) {
            String eventId = ids.eventId();
            send(installation, event, eventId);
        }
    }

    /**
     * Delivers an event only apps get (https://api.slack.com/events/app_uninstalled, {@code
     * tokens_revoked}) as it is, over the Events API or Socket Mode.
     */
    public void deliverAppEvent(Installation installation, ObjectNode event) {
        send(installation, event, ids.eventId());
    }

    private void send(Installation installation, ObjectNode event, String eventId) {
        String body =
                Json.write(Payloads.eventCallback(installation, event, eventId, ids.epochSeconds(), verificationToken));
        URI url = eventsUrl;
        if (url != null) {
            sender.send(this, url, eventId, body);
        } else {
            socketMode.dispatch("events_api", body, false);
        }
    }
}
