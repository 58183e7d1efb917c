/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

/**
 * What a Slack app is sent, by the name of its Socket Mode envelope type
 * (https://api.slack.com/apis/socket-mode#events): the same three arrive over HTTP, at {@code /slack/events},
 * {@code /slack/commands} and {@code /slack/interactive}.
 */
public enum EnvelopeKind {
    /** An Events API {@code event_callback} body. */
    EVENTS_API("events_api"),
    /** A slash command's fields, as a JSON object. */
    SLASH_COMMANDS("slash_commands"),
    /** An interaction payload. */
    INTERACTIVE("interactive");

    private final String envelopeType;

    EnvelopeKind(String envelopeType) {
        this.envelopeType = envelopeType;
    }

    /** Slack's name for it: the Socket Mode envelope's {@code type}, and a raw event's {@code slack_type}. */
    public String envelopeType() {
        return envelopeType;
    }

    /** The kind of a Socket Mode envelope {@code type}, or null when it is none of the three. */
    public static EnvelopeKind ofEnvelopeType(String type) {
        for (EnvelopeKind k : values()) {
            if (k.envelopeType.equals(type)) {
                return k;
            }
        }
        return null;
    }
}
