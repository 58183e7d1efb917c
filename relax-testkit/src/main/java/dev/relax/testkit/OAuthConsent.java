/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.core.Secret;
import java.time.Instant;
import java.util.Objects;

/**
 * One decision on the simulator's authorize page ({@code /oauth/v2/authorize}).
 *
 * @param teamId the workspace chosen, empty for an org-wide install
 * @param enterpriseId the organization of the workspace, or the one chosen for an org-wide install; empty outside
 *     Enterprise Grid
 * @param userId the installing person
 * @param redirectUri where the browser was sent
 * @param allowed true for Allow (a code was issued), false for Cancel ({@code error=access_denied})
 * @param code the code handed to the redirect URL, empty when denied; masked by {@code toString()}
 */
public record OAuthConsent(
        Instant at,
        String appId,
        String teamId,
        String enterpriseId,
        String userId,
        String scope,
        String userScope,
        String redirectUri,
        String state,
        boolean allowed,
        Secret code) {
    public OAuthConsent {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(code, "code");
    }
}
