/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

/**
 * A message of a simulated conversation, as {@link Workspace#history(Channel)} lists it.
 *
 * @param ts the message's timestamp, its id within the channel
 * @param user the author's user id (a bot's user id for bot messages)
 * @param threadTs the parent's ts for a thread reply, else empty
 */
public record ChannelMessage(String channel, String ts, String user, String text, String threadTs) {}
