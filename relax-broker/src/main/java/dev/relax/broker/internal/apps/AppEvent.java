/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import dev.relax.broker.internal.slack.Translated;
import dev.relax.core.protocol.BotId;

/** A Relax event from a Slack app, with the bot id (team and the app's namespace) it is deduplicated under. */
public record AppEvent(BotId bot, Translated translated) {}
