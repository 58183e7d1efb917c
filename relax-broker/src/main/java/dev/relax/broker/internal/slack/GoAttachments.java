/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static dev.relax.broker.internal.slack.SlackJson.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Rebuilds Slack message attachments the way the Go broker does, so that apps see the same JSON from
 * either broker (relax-core/src/test/resources/golden, case {@code message_attachments}): every known field is written, in a
 * fixed order, zero-valued when the frame lacks it; unknown fields ({@code id}, {@code mrkdwn_in}, an
 * action's {@code id}) are dropped; each action gets a {@code confirm} object, of empty strings when the
 * frame has none.
 */
final class GoAttachments {
    private static final String[] HEAD = {
        "fallback", "color", "pretext", "author_name", "author_link", "author_icon", "title", "title_link", "text"
    };
    private static final String[] MIDDLE = {"image_url", "thumb_url", "footer", "footer_icon"};
    private static final String[] TAIL = {"attachment_type", "callback_id"};
    private static final String[] CONFIRM = {"title", "text", "ok_text", "dismiss_text"};

    private final JsonFactory factory;

    GoAttachments(JsonFactory factory) {
        this.factory = factory;
    }

    /** The attachments as the Go broker writes them, or {@code null} when the message has none. */
    String normalize(JsonNode attachments) {
        if (attachments == null || !attachments.isArray()) {
            return null;
        }
        StringWriter out = new StringWriter(256 * (attachments.size() + 1));
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartArray();
            for (JsonNode a : attachments) {
                writeAttachment(g, a);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeAttachment(JsonGenerator g, JsonNode a) throws IOException {
        g.writeStartObject();
        strings(g, a, HEAD);
        g.writeFieldName("fields");
        JsonNode fields = a.get("fields");
        if (fields != null && fields.isArray()) {
            g.writeStartArray();
            for (JsonNode f : fields) {
                g.writeStartObject();
                g.writeStringField("title", text(f, "title"));
                g.writeStringField("value", text(f, "value"));
                g.writeBooleanField("short", f.path("short").asBoolean(false));
                g.writeEndObject();
            }
            g.writeEndArray();
        } else {
            g.writeNull();
        }
        strings(g, a, MIDDLE);
        g.writeFieldName("ts");
        writeTs(g, a.get("ts"));
        strings(g, a, TAIL);
        g.writeFieldName("actions");
        JsonNode actions = a.get("actions");
        if (actions != null && actions.isArray()) {
            g.writeStartArray();
            for (JsonNode action : actions) {
                g.writeStartObject();
                strings(g, action, "name", "text", "type", "style", "value");
                g.writeObjectFieldStart("confirm");
                strings(g, action.path("confirm"), CONFIRM);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        } else {
            g.writeNull();
        }
        g.writeEndObject();
    }

    /** Slack sends the attachment {@code ts} as epoch seconds; a numeric string is read as that number. */
    private static void writeTs(JsonGenerator g, JsonNode ts) throws IOException {
        if (ts != null && ts.isIntegralNumber()) {
            g.writeNumber(ts.asLong());
        } else if (ts != null && ts.isNumber()) {
            g.writeNumber(ts.decimalValue());
        } else if (ts != null && ts.isTextual() && ts.asText().matches("\\d{1,18}")) {
            g.writeNumber(Long.parseLong(ts.asText()));
        } else {
            g.writeNumber(0);
        }
    }

    private static void strings(JsonGenerator g, JsonNode node, String... names) throws IOException {
        for (String name : names) {
            g.writeStringField(name, text(node, name));
        }
    }
}
