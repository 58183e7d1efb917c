/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.core.Secret;

/** An app installed in a workspace, acting through its bot user. */
public record Installation(AppState app, String teamId, String botUserId, Secret botToken) {}
