/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

/**
 * Reasons Slack gives in a Socket Mode {@code disconnect} frame
 * (https://api.slack.com/apis/socket-mode#disconnect), sent with {@link App#disconnect}.
 */
public enum DisconnectReason {
    /** Slack warns that it will ask the app to reconnect soon; the socket stays open. */
    WARNING("warning"),
    /** Slack asks the app to open a new connection; the simulator closes this one after the close grace. */
    REFRESH_REQUESTED("refresh_requested"),
    /** Socket Mode was turned off for the app; the simulator closes the socket at once. */
    LINK_DISABLED("link_disabled");

    private final String wireName;

    DisconnectReason(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code reason} value of the frame. */
    public String wireName() {
        return wireName;
    }
}
