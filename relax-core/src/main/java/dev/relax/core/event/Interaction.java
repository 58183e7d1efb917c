/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code interaction}: a person clicked a button, chose from a menu, submitted a modal or used a
 * shortcut of the app (https://api.slack.com/interactivity/handling#payloads).
 */
public record Interaction(WireEvent wire) implements RelaxEvent {

    public Interaction {
        EventTypes.require(wire, Protocol.EVENT_INTERACTION);
    }

    /** The person who clicked, chose or submitted. */
    public String userUid() {
        return wire.userUid();
    }

    /** The channel it happened in, or empty. */
    public String channelUid() {
        return wire.channelUid();
    }

    /** Slack's payload type: {@code block_actions}, {@code view_submission}, {@code shortcut}, ... */
    public String interactionType() {
        return wire.extraText("interaction_type");
    }

    /** Slack's original payload as raw JSON, an object. */
    public String payloadJson() {
        return wire.extraJson().getOrDefault(Protocol.FIELD_PAYLOAD, "{}");
    }
}
