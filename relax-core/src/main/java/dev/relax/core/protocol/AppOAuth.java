/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

import dev.relax.core.RelaxException;
import dev.relax.core.Secret;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the broker needs to install an app with Slack's OAuth flow ("Add to Slack";
 * https://docs.slack.dev/authentication/installing-with-oauth): the app's client credentials (its "Basic
 * Information" page), the scopes to ask for, and where Slack sends the user back. Stored in the app's
 * registration; the client secret never appears in {@link #toString()}.
 *
 * @param clientId the app's client id, such as {@code 1234567890.1234567890}
 * @param clientSecret the app's client secret
 * @param botScopes the bot scopes to ask for, such as {@code chat:write}
 * @param userScopes the user scopes to ask for, or none
 * @param redirectUrl the broker's {@code /slack/oauth_redirect} as Slack reaches it, listed among the
 *     app's redirect URLs ("OAuth &amp; Permissions")
 * @param directInstall whether {@code /slack/install/<app>} sends the browser straight to Slack, instead of
 *     showing a page with the Add to Slack button
 */
public record AppOAuth(
        String clientId,
        Secret clientSecret,
        List<String> botScopes,
        List<String> userScopes,
        String redirectUrl,
        boolean directInstall) {
    /** No OAuth: the app's installations are added by hand ({@code addInstallation}). */
    public static final AppOAuth NONE = new AppOAuth("", Secret.of(""), List.of(), List.of(), "", false);

    private static final Pattern SCOPE = Pattern.compile("[a-z0-9_.:-]+");

    public AppOAuth {
        clientId = clientId == null ? "" : clientId.strip();
        clientSecret = clientSecret == null ? Secret.of("") : clientSecret;
        botScopes = botScopes == null ? List.of() : List.copyOf(botScopes);
        userScopes = userScopes == null ? List.of() : List.copyOf(userScopes);
        redirectUrl = redirectUrl == null ? "" : redirectUrl.strip();
        for (String scope : botScopes) {
            checkScope(Protocol.FIELD_BOT_SCOPES, scope);
        }
        for (String scope : userScopes) {
            checkScope(Protocol.FIELD_USER_SCOPES, scope);
        }
        if (!clientId.isEmpty()) {
            if (clientSecret.isEmpty()) {
                throw RelaxException.badSetting(Protocol.FIELD_CLIENT_SECRET, "must be set with a client_id");
            }
            if (botScopes.isEmpty() && userScopes.isEmpty()) {
                throw RelaxException.badSetting(
                        Protocol.FIELD_BOT_SCOPES, "must name at least one scope (bot or user) to install with OAuth");
            }
            if (!(redirectUrl.startsWith("https://") || redirectUrl.startsWith("http://"))) {
                throw RelaxException.badSetting(
                        Protocol.FIELD_REDIRECT_URL,
                        "must be the http(s) URL of the broker's /slack/oauth_redirect, was '" + redirectUrl + "'");
            }
        }
    }

    /** OAuth for an app: its credentials, bot scopes and the redirect URL; no user scopes, a page first. */
    public static AppOAuth of(String clientId, String clientSecret, List<String> botScopes, String redirectUrl) {
        return new AppOAuth(clientId, Secret.of(clientSecret), botScopes, List.of(), redirectUrl, false);
    }

    public AppOAuth withUserScopes(List<String> value) {
        return new AppOAuth(clientId, clientSecret, botScopes, value, redirectUrl, directInstall);
    }

    public AppOAuth withDirectInstall(boolean value) {
        return new AppOAuth(clientId, clientSecret, botScopes, userScopes, redirectUrl, value);
    }

    /** Whether the app can be installed with OAuth (it has a client id). */
    public boolean enabled() {
        return !clientId.isEmpty();
    }

    private static void checkScope(String field, String scope) {
        if (scope == null || !SCOPE.matcher(scope).matches()) {
            throw RelaxException.badSetting(field, "has a scope that is not one: '" + scope + "'");
        }
    }

    @Override
    public String toString() {
        return enabled()
                ? "AppOAuth[clientId=" + clientId + ", clientSecret=" + clientSecret + ", botScopes=" + botScopes
                        + ", userScopes=" + userScopes + ", redirectUrl=" + redirectUrl + ", directInstall="
                        + directInstall + "]"
                : "AppOAuth[none]";
    }
}
