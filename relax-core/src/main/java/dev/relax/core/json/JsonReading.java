/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.internal.Redaction;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the codecs share: the Jackson factory, reading one field of a document by the contract's rules,
 * and the {@link RelaxJsonException}s that name the problem and show a redacted excerpt of the input.
 */
final class JsonReading {
    private static final int EXCERPT_WIDTH = 80;
    /** The documents that hold secrets: their excerpts are shown only when a field name can say what to mask. */
    private static final Set<String> SECRET_BEARING = Set.of("bot registration", "app registration", "installation");
    /** Input Jackson quotes in its messages: a word or several characters in single quotes. */
    private static final Pattern QUOTED_INPUT = Pattern.compile("'([^']{2,})'");
    /** Jackson's "Numeric value (12345) out of range": the number is input too. */
    private static final Pattern NUMBER_INPUT = Pattern.compile("value \\([^)]*\\)");

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonReading() {}

    static void expectObject(JsonParser p, String what, String json) throws IOException {
        if (json == null) {
            throw invalid(what, "is null", "");
        }
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw invalid(what, first == null ? "is empty" : "is not a JSON object", json);
        }
    }

    static void expectEnd(JsonParser p, String what, String json) throws IOException {
        if (p.nextToken() != null) {
            throw invalid(what, "has content after the closing brace", json);
        }
    }

    /** A string field's value; numbers and booleans are read as their text, null as empty. */
    static String string(JsonParser p, String name, String what, String json) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t.isScalarValue() && t != JsonToken.VALUE_NULL) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return "";
        }
        throw invalid(what, "field '" + name + "' must be a string, was " + describe(t), json);
    }

    static boolean bool(JsonParser p, String name, String json) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE, VALUE_NULL -> false;
            case VALUE_STRING -> Boolean.parseBoolean(p.getText().trim());
            default ->
                throw invalid(
                        "event", "field '" + name + "' must be a boolean, was " + describe(p.currentToken()), json);
        };
    }

    static String rawValue(JsonParser p) throws IOException {
        JsonNode node = MAPPER.readTree(p);
        return MAPPER.writeValueAsString(node);
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_STRING -> "a string";
            default -> t.toString();
        };
    }

    static RelaxJsonException invalid(String what, String problem, String json) {
        return new RelaxJsonException("invalid " + what, problem, excerpt(what, json, 0), null);
    }

    /**
     * The redacted excerpt of {@code json} around {@code offset}; none of a registration, app or installation
     * that is not even an object (a token stored bare, say), where no field name tells what is secret.
     */
    private static String excerpt(String what, String json, long offset) {
        if (SECRET_BEARING.contains(what) && json != null && !json.strip().startsWith("{")) {
            return "not shown: " + json.length() + " characters that are not a JSON object";
        }
        return Redaction.excerpt(json, offset, EXCERPT_WIDTH);
    }

    /**
     * Jackson's description of a syntax error, without the input it quotes: "Unrecognized token 'abc'"
     * names the bare word it met, which in a registration may be an unquoted secret of any shape.
     */
    private static String parserProblem(String message) {
        String out = QUOTED_INPUT.matcher(String.valueOf(message)).replaceAll(m -> switch (m.group(1)) {
            case "null", "true", "false" -> m.group();
            default -> "'****'";
        });
        return Redaction.redact(NUMBER_INPUT.matcher(out).replaceAll("value (****)"));
    }

    static RelaxJsonException malformed(String what, JsonProcessingException e, String json) {
        long offset = e.getLocation() == null ? 0 : e.getLocation().getCharOffset();
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        String problem = parserProblem(e.getOriginalMessage());
        return new RelaxJsonException(
                "malformed " + what + " JSON" + where, problem, excerpt(what, json, offset), null);
    }
}
