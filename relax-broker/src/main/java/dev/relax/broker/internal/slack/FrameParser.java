/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads a websocket frame from Slack into the tree {@code ObjectMapper.readTree} would build, less what no
 * reader in the broker looks at: in a {@code message} frame (its {@code type} read before), every
 * {@code blocks} array, Block Kit's copy of the text, which is often most of the frame
 * (https://api.slack.com/reference/block-kit/blocks). Frames without a {@code type} (RTM's replies, kept
 * whole in call results) and Socket Mode's envelopes are read whole. Stateless and thread-safe.
 */
public final class FrameParser {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SKIPPED = "blocks";

    private FrameParser() {}

    /** The frame as an object, or null when it is not one (empty, an array, a scalar). */
    public static ObjectNode parse(JsonFactory factory, String text) throws IOException {
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ObjectNode frame = NODES.objectNode();
            boolean message = false;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken token = p.nextToken();
                if (message && name.equals(SKIPPED)) {
                    p.skipChildren();
                    continue;
                }
                JsonNode value = value(p, token, message);
                if (name.equals("type")) {
                    message = value.isTextual() && value.textValue().equals("message");
                }
                frame.set(name, value);
            }
            return frame;
        }
    }

    private static JsonNode value(JsonParser p, JsonToken token, boolean skipBlocks) throws IOException {
        return switch (token) {
            case START_OBJECT -> object(p, skipBlocks);
            case START_ARRAY -> array(p, skipBlocks);
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT ->
                switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT ->
                p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
                        ? NODES.numberNode(p.getDecimalValue())
                        : NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IOException("unexpected token " + token);
        };
    }

    private static ObjectNode object(JsonParser p, boolean skipBlocks) throws IOException {
        ObjectNode node = NODES.objectNode();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken token = p.nextToken();
            if (skipBlocks && name.equals(SKIPPED)) {
                p.skipChildren();
            } else {
                node.set(name, value(p, token, skipBlocks));
            }
        }
        return node;
    }

    private static ArrayNode array(JsonParser p, boolean skipBlocks) throws IOException {
        ArrayNode node = NODES.arrayNode();
        for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
            if (token == null) {
                throw new IOException("frame ends inside an array");
            }
            node.add(value(p, token, skipBlocks));
        }
        return node;
    }
}
