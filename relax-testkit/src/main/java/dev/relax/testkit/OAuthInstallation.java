/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.core.Secret;
import java.time.Instant;
import java.util.Objects;

/**
 * An installation made by exchanging a code with oauth.v2.access. Tokens are {@link Secret}s, masked by
 * {@code toString()}.
 *
 * @param teamId the workspace, empty for an org-wide install
 * @param enterpriseId the organization, empty outside Enterprise Grid
 * @param enterpriseInstall true for an org-wide install
 * @param installerUserId the person who approved ({@code authed_user.id})
 * @param userToken the user token when user scopes were granted, else empty
 * @param refreshToken the bot token's first refresh token with token rotation on, else empty
 */
public record OAuthInstallation(
        Instant at,
        String appId,
        String teamId,
        String enterpriseId,
        boolean enterpriseInstall,
        String botUserId,
        String installerUserId,
        String scope,
        String userScope,
        Secret botToken,
        Secret userToken,
        Secret refreshToken) {
    public OAuthInstallation {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(botToken, "botToken");
        Objects.requireNonNull(userToken, "userToken");
        Objects.requireNonNull(refreshToken, "refreshToken");
    }
}
