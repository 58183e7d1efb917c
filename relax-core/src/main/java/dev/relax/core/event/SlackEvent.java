/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code slack_event}: an Events API event with no RTM equivalent, such as {@code app_home_opened},
 * passed on whole (https://api.slack.com/events).
 */
public record SlackEvent(WireEvent wire) implements RelaxEvent {

    public SlackEvent {
        EventTypes.require(wire, Protocol.EVENT_SLACK_EVENT);
    }

    /** The person who caused the event, or empty. */
    public String userUid() {
        return wire.userUid();
    }

    /** The channel it happened in, or empty. */
    public String channelUid() {
        return wire.channelUid();
    }

    /** Slack's event type, such as {@code app_home_opened}. */
    public String slackType() {
        return wire.extraText("slack_type");
    }

    /** Slack's {@code event_id}. */
    public String slackEventId() {
        return wire.extraText(Protocol.FIELD_SLACK_EVENT_ID);
    }

    /** Slack's original payload as raw JSON, an object. */
    public String payloadJson() {
        return wire.extraJson().getOrDefault(Protocol.FIELD_PAYLOAD, "{}");
    }
}
