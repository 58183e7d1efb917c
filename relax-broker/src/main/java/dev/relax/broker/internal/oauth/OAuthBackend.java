/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import dev.relax.broker.internal.apps.AppDirectory;

/**
 * What the install endpoints need from a broker connected to Redis: the registered apps, the states and
 * installations in Redis, and Slack's {@code oauth.v2.access}. The endpoints answer 503 until it exists.
 */
public record OAuthBackend(AppDirectory apps, OAuthStore store, OAuthAccess access) {}
