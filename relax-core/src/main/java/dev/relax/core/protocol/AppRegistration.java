/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

import dev.relax.core.RelaxException;
import dev.relax.core.Secret;

/**
 * A Slack app as stored with {@code HSET <apps key> <app id> <json>}:
 * {@code {"app_id":"A0123","app_token":"xapp-...","signing_secret":"...","namespace":"","connections":2}}.
 * An app with an app-level token receives events over Socket Mode; one with a signing secret over the
 * Events API at the broker's {@code /slack/events}; it may have both. Secrets never appear in
 * {@link #toString()}.
 *
 * @param appId Slack's app id ({@code A…}), never empty
 * @param appToken the app-level token ({@code xapp-…}) for Socket Mode, or empty
 * @param signingSecret the secret that signs Events API requests, or empty
 * @param namespace stamped on every event of the app; empty when unused
 * @param connections Socket Mode connections to hold across the fleet, 1 to Slack's 10
 * @param oauth how the app is installed with Slack's OAuth flow, or {@link AppOAuth#NONE}
 */
public record AppRegistration(
        String appId, Secret appToken, Secret signingSecret, String namespace, int connections, AppOAuth oauth) {

    public AppRegistration {
        if (appId == null || appId.isBlank()) {
            throw RelaxException.badSetting(Protocol.FIELD_APP_ID, "must not be empty in an app registration");
        }
        appToken = appToken == null ? Secret.of("") : appToken;
        signingSecret = signingSecret == null ? Secret.of("") : signingSecret;
        namespace = namespace == null ? "" : namespace;
        oauth = oauth == null ? AppOAuth.NONE : oauth;
        if (connections == 0) {
            connections = Protocol.DEFAULT_APP_CONNECTIONS;
        }
        if (connections < 1 || connections > Protocol.MAX_APP_CONNECTIONS) {
            throw RelaxException.badSetting(
                    Protocol.FIELD_CONNECTIONS,
                    "must be 1.." + Protocol.MAX_APP_CONNECTIONS + " (Slack's limit per app), was " + connections);
        }
    }

    /** A registration without OAuth. */
    public AppRegistration(String appId, Secret appToken, Secret signingSecret, String namespace, int connections) {
        this(appId, appToken, signingSecret, namespace, connections, AppOAuth.NONE);
    }

    /** A Socket Mode app with the default number of connections and no namespace. */
    public static AppRegistration socketMode(String appId, String appToken) {
        return new AppRegistration(appId, Secret.of(appToken), Secret.of(""), "", 0);
    }

    /** An Events API app with no namespace. */
    public static AppRegistration eventsApi(String appId, String signingSecret) {
        return new AppRegistration(appId, Secret.of(""), Secret.of(signingSecret), "", 0);
    }

    public AppRegistration withNamespace(String value) {
        return new AppRegistration(appId, appToken, signingSecret, value, connections, oauth);
    }

    public AppRegistration withConnections(int value) {
        return new AppRegistration(appId, appToken, signingSecret, namespace, value, oauth);
    }

    public AppRegistration withSigningSecret(String value) {
        return new AppRegistration(appId, appToken, Secret.of(value), namespace, connections, oauth);
    }

    /** This app, installed with Slack's OAuth flow as {@code value} says. */
    public AppRegistration withOAuth(AppOAuth value) {
        return new AppRegistration(appId, appToken, signingSecret, namespace, connections, value);
    }

    /** True when the app has an app-level token, so brokers hold Socket Mode connections for it. */
    public boolean usesSocketMode() {
        return !appToken.isEmpty();
    }

    /** The field of the apps hash this registration is stored under: the app id. */
    public String hashField() {
        return appId;
    }

    @Override
    public String toString() {
        return "AppRegistration[appId=" + appId + ", appToken=" + appToken + ", signingSecret=" + signingSecret
                + ", namespace=" + namespace + ", connections=" + connections
                + (oauth.enabled() ? ", oauth=" + oauth : "") + "]";
    }
}
