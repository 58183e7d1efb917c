package dev.relax.testkit.internal;

import dev.relax.core.Secret;

/** An app installed in a workspace, acting through its bot user. */
public record Installation(AppState app, String teamId, String botUserId, Secret botToken) {}
