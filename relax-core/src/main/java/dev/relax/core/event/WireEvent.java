/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

import dev.relax.core.protocol.Protocol;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event exactly as it travels on {@code RELAX_EVENTS_QUEUE}: the twelve fields of the contract, each
 * with its wire type, plus any field this version does not know (kept so that an event passes through
 * an older consumer unchanged). Strings are never null; a field missing on the wire reads as {@code ""}
 * or {@code false}.
 *
 * <p>Most code wants the typed view, {@link RelaxEvent#of(WireEvent)}; brokers build a
 * {@code WireEvent} with {@link #builder(String)}.
 *
 * @param attachmentsJson Slack's message attachments as raw JSON (an array), or {@code null} when the
 *     event has none; written as {@code "attachments":null} then
 * @param extraJson fields beyond the twelve, name to raw JSON value, in wire order
 */
public record WireEvent(
        String type,
        String userUid,
        String channelUid,
        String teamUid,
        boolean im,
        String text,
        String relaxBotUid,
        String timestamp,
        String provider,
        String eventTimestamp,
        String namespace,
        String attachmentsJson,
        Map<String, String> extraJson) {

    public WireEvent {
        type = orEmpty(type);
        userUid = orEmpty(userUid);
        channelUid = orEmpty(channelUid);
        teamUid = orEmpty(teamUid);
        text = orEmpty(text);
        relaxBotUid = orEmpty(relaxBotUid);
        timestamp = orEmpty(timestamp);
        provider = orEmpty(provider);
        eventTimestamp = orEmpty(eventTimestamp);
        namespace = orEmpty(namespace);
        extraJson = extraJson == null || extraJson.isEmpty()
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extraJson));
    }

    /** A builder for an event of {@code type} from the {@code slack} provider. */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    /** A builder that starts from this event's values. */
    public Builder toBuilder() {
        Builder b = new Builder(type)
                .userUid(userUid)
                .channelUid(channelUid)
                .teamUid(teamUid)
                .im(im)
                .text(text)
                .relaxBotUid(relaxBotUid)
                .timestamp(timestamp)
                .provider(provider)
                .eventTimestamp(eventTimestamp)
                .namespace(namespace)
                .attachmentsJson(attachmentsJson);
        b.extra.putAll(extraJson);
        return b;
    }

    /**
     * The text of an extra field holding a JSON string (such as {@code relax_app_id}), or {@code ""} when
     * the field is absent or not a string.
     */
    public String extraText(String name) {
        String raw = extraJson.get(name);
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '"') {
            return "";
        }
        try {
            return TEXT_READER.readTree(raw).asText("");
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /**
     * The W3C {@code traceparent} of the broker's span that received the event ({@link
     * Protocol#FIELD_TRACEPARENT}), or {@code ""} when tracing was off.
     */
    public String traceparent() {
        return extraText(Protocol.FIELD_TRACEPARENT);
    }

    /** The Slack app the event came through ({@code relax_app_id}), or {@code ""} for an RTM bot's event. */
    public String appId() {
        return extraText(Protocol.FIELD_RELAX_APP_ID);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper TEXT_READER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Builds a {@link WireEvent}; unset strings are empty, {@code provider} is {@code slack}. */
    public static final class Builder {
        private final String type;
        private String userUid = "";
        private String channelUid = "";
        private String teamUid = "";
        private boolean im;
        private String text = "";
        private String relaxBotUid = "";
        private String timestamp = "";
        private String provider = Protocol.PROVIDER_SLACK;
        private String eventTimestamp = "";
        private String namespace = "";
        private String attachmentsJson;
        private final Map<String, String> extra = new LinkedHashMap<>();

        private Builder(String type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        public Builder userUid(String v) {
            userUid = v;
            return this;
        }

        public Builder channelUid(String v) {
            channelUid = v;
            return this;
        }

        public Builder teamUid(String v) {
            teamUid = v;
            return this;
        }

        public Builder im(boolean v) {
            im = v;
            return this;
        }

        public Builder text(String v) {
            text = v;
            return this;
        }

        public Builder relaxBotUid(String v) {
            relaxBotUid = v;
            return this;
        }

        public Builder timestamp(String v) {
            timestamp = v;
            return this;
        }

        public Builder provider(String v) {
            provider = v;
            return this;
        }

        public Builder eventTimestamp(String v) {
            eventTimestamp = v;
            return this;
        }

        public Builder namespace(String v) {
            namespace = v;
            return this;
        }

        /** Raw JSON of the attachments array, or {@code null} for none. */
        public Builder attachmentsJson(String v) {
            attachmentsJson = v;
            return this;
        }

        /**
         * A field beyond the contract's twelve, as raw JSON ({@code "\"x\""}, {@code "{...}"}). Used by
         * newer event types to carry Slack's original payload.
         */
        public Builder extraJson(String name, String rawJson) {
            extra.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(rawJson, "rawJson"));
            return this;
        }

        public WireEvent build() {
            return new WireEvent(
                    type,
                    userUid,
                    channelUid,
                    teamUid,
                    im,
                    text,
                    relaxBotUid,
                    timestamp,
                    provider,
                    eventTimestamp,
                    namespace,
                    attachmentsJson,
                    extra);
        }
    }
}
