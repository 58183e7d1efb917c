/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.json;

import static dev.relax.core.protocol.Protocol.*;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import dev.relax.core.event.WireEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Events as JSON, for {@link RelaxJson}: written in the contract's order, read leniently, unknown fields kept. */
final class EventJson {
    private EventJson() {}

    /**
     * The event as one line of JSON, fields in the contract's order. Written into the factory's recycled
     * buffers (per thread), as {@code ObjectMapper.writeValueAsString} does, so that the only allocation
     * left per event is the line itself.
     */
    static String encode(WireEvent event) {
        BufferRecycler buffers = JsonReading.FACTORY._getBufferRecycler();
        try (SegmentedStringWriter out = new SegmentedStringWriter(buffers)) {
            write(out, event);
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an event to a string", e);
        } finally {
            buffers.releaseToPool();
        }
    }

    private static void write(SegmentedStringWriter out, WireEvent event) throws IOException {
        try (JsonGenerator g = JsonReading.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(FIELD_TYPE, event.type());
            g.writeStringField(FIELD_USER_UID, event.userUid());
            g.writeStringField(FIELD_CHANNEL_UID, event.channelUid());
            g.writeStringField(FIELD_TEAM_UID, event.teamUid());
            g.writeBooleanField(FIELD_IM, event.im());
            g.writeStringField(FIELD_TEXT, event.text());
            g.writeStringField(FIELD_RELAX_BOT_UID, event.relaxBotUid());
            g.writeStringField(FIELD_TIMESTAMP, event.timestamp());
            g.writeStringField(FIELD_PROVIDER, event.provider());
            g.writeStringField(FIELD_EVENT_TIMESTAMP, event.eventTimestamp());
            g.writeStringField(FIELD_NAMESPACE, event.namespace());
            g.writeFieldName(FIELD_ATTACHMENTS);
            if (event.attachmentsJson() == null) {
                g.writeNull();
            } else {
                g.writeRawValue(event.attachmentsJson());
            }
            for (Map.Entry<String, String> extra : event.extraJson().entrySet()) {
                g.writeFieldName(extra.getKey());
                g.writeRawValue(extra.getValue());
            }
            g.writeEndObject();
        }
    }

    /** Reads one event; see the class comment for what is tolerated. */
    static WireEvent decode(String json) {
        try (JsonParser p = JsonReading.FACTORY.createParser(json)) {
            JsonReading.expectObject(p, "event", json);
            WireEvent.Builder b = null;
            String type = "";
            String userUid = "", channelUid = "", teamUid = "", text = "", relaxBotUid = "", timestamp = "";
            String provider = "", eventTimestamp = "", namespace = "";
            boolean im = false;
            String attachments = null;
            Map<String, String> extra = null;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case FIELD_TYPE -> type = JsonReading.string(p, name, "event", json);
                    case FIELD_USER_UID -> userUid = JsonReading.string(p, name, "event", json);
                    case FIELD_CHANNEL_UID -> channelUid = JsonReading.string(p, name, "event", json);
                    case FIELD_TEAM_UID -> teamUid = JsonReading.string(p, name, "event", json);
                    case FIELD_IM -> im = JsonReading.bool(p, name, json);
                    case FIELD_TEXT -> text = JsonReading.string(p, name, "event", json);
                    case FIELD_RELAX_BOT_UID -> relaxBotUid = JsonReading.string(p, name, "event", json);
                    case FIELD_TIMESTAMP -> timestamp = JsonReading.string(p, name, "event", json);
                    case FIELD_PROVIDER -> provider = JsonReading.string(p, name, "event", json);
                    case FIELD_EVENT_TIMESTAMP -> eventTimestamp = JsonReading.string(p, name, "event", json);
                    case FIELD_NAMESPACE -> namespace = JsonReading.string(p, name, "event", json);
                    case FIELD_ATTACHMENTS ->
                        attachments = value == JsonToken.VALUE_NULL ? null : JsonReading.rawValue(p);
                    default -> {
                        if (extra == null) {
                            extra = new LinkedHashMap<>();
                        }
                        extra.put(name, JsonReading.rawValue(p));
                    }
                }
            }
            JsonReading.expectEnd(p, "event", json);
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
                    attachments,
                    extra);
        } catch (JsonProcessingException e) {
            throw JsonReading.malformed("event", e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
