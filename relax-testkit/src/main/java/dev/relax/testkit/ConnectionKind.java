/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

/** The protocol spoken on a recorded websocket. */
public enum ConnectionKind {
    /** Real Time Messaging, opened with the URL from rtm.connect or rtm.start. */
    RTM,
    /** Socket Mode, opened with the URL from apps.connections.open. */
    SOCKET_MODE
}
