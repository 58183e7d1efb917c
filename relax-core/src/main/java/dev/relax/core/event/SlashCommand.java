/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;

/**
 * {@code slash_command}: a person ran one of the app's slash commands
 * (https://api.slack.com/interactivity/slash-commands). Slack shows the person an error unless the app
 * answers within 3 seconds, through the payload's {@code response_url} or a message.
 */
public record SlashCommand(WireEvent wire) implements RelaxEvent {

    public SlashCommand {
        EventTypes.require(wire, Protocol.EVENT_SLASH_COMMAND);
    }

    /** The person who ran the command. */
    public String userUid() {
        return wire.userUid();
    }

    /** The channel it happened in, or empty. */
    public String channelUid() {
        return wire.channelUid();
    }

    /** The command, such as {@code /deploy}. */
    public String command() {
        return wire.extraText("command");
    }

    /** What the person typed after the command. */
    public String text() {
        return wire.text();
    }

    /** The {@code response_url} the app may answer through (valid for 30 minutes, 5 answers). */
    public String responseUrl() {
        return wire.extraText("response_url");
    }

    /** Slack's original payload as raw JSON, an object. */
    public String payloadJson() {
        return wire.extraJson().getOrDefault(Protocol.FIELD_PAYLOAD, "{}");
    }
}
