/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import java.time.Instant;

/**
 * An OAuth code not yet exchanged: what the person approved on the authorize page. Either {@code teamId}
 * (a workspace install) or, for an org-wide install, only {@code enterpriseId} is set. A code made by
 * {@code App.authorizationCode} for an existing installation carries it in {@code existing} and has no
 * redirect URI to match.
 *
 * @param redirectUri the redirect_uri the authorize request named (oauth.v2.access must repeat it), or empty
 */
public record PendingCode(
        String teamId,
        String enterpriseId,
        boolean orgInstall,
        String userId,
        String scope,
        String userScope,
        String redirectUri,
        Instant expiresAt,
        Installation existing) {}
