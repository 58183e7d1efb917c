/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static dev.relax.broker.internal.slack.SlackJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.broker.internal.apps.EnvelopeKind;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A verified body as the payload a Socket Mode envelope of the same kind carries: Events API JSON as it
 * is, a slash command's form as an object of its fields, an interaction's {@code payload} field as JSON.
 * Thread-safe.
 */
final class PayloadParser {
    private final ObjectMapper json;

    PayloadParser(ObjectMapper json) {
        this.json = json;
    }

    /** The body's payload, a JSON object; refused as {@code malformed} when it is none. */
    JsonNode parse(EnvelopeKind kind, byte[] body) throws Rejection {
        try {
            JsonNode node =
                    switch (kind) {
                        case EVENTS_API -> json.readTree(body);
                        case SLASH_COMMANDS -> form(body);
                        case INTERACTIVE -> {
                            String payload = text(form(body), "payload");
                            yield payload.isEmpty() ? null : json.readTree(payload);
                        }
                    };
            if (node == null || !node.isObject()) {
                throw new Rejection(400, RequestResult.MALFORMED, "not a JSON object");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new Rejection(
                    400,
                    RequestResult.MALFORMED,
                    "cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** An {@code application/x-www-form-urlencoded} body as an object of strings (the last of a repeated name wins). */
    private ObjectNode form(byte[] body) {
        ObjectNode out = json.createObjectNode();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return out;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name, value);
        }
        return out;
    }
}
