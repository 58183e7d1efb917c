/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.core.Secret;

/**
 * An app installed in a workspace, acting through its bot user. An org-wide installation
 * ({@code enterpriseInstall}) has one of these per workspace of the organization, all with the same token.
 *
 * @param enterpriseId the workspace's Enterprise Grid organization, or empty
 */
public record Installation(
        AppState app,
        String teamId,
        String botUserId,
        Secret botToken,
        String enterpriseId,
        boolean enterpriseInstall) {
    public Installation(AppState app, String teamId, String botUserId, Secret botToken) {
        this(app, teamId, botUserId, botToken, "", false);
    }
}
