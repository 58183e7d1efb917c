/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Broker internals (Slack's "Add to Slack" OAuth flow); not API. {@link
 * dev.relax.broker.internal.oauth.InstallHandler} serves {@code GET /slack/install/<app>}, {@link
 * dev.relax.broker.internal.oauth.RedirectHandler} {@code GET /slack/oauth_redirect}; {@link
 * dev.relax.broker.internal.oauth.OAuthAccess} exchanges a code with {@code oauth.v2.access}, {@link
 * dev.relax.broker.internal.oauth.OAuthStore} keeps the single-use states and writes installations with
 * their commands, and {@link dev.relax.broker.internal.oauth.Uninstalls} tells which events remove one.
 */
package dev.relax.broker.internal.oauth;
