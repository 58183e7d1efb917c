/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Finds the {@code api_app_id} of a request that is not verified yet, which names the signing secret to
 * verify it with, and reads nothing more: the top-level field of a JSON body, found by a streaming parser
 * that skips every other value without building it and stops at the field; the field of a form (slash
 * commands); the top-level field of the JSON in a form's {@code payload} field (interactions), decoded as
 * the parser reads it. So an unverified body costs one pass at most, and no tree. Stateless, thread-safe.
 */
final class AppIdReader {
    private static final String FIELD = "api_app_id";

    private final JsonFactory json;

    AppIdReader(JsonFactory json) {
        this.json = json;
    }

    /** The top-level {@code api_app_id} of a JSON object; "" when it has none (or it is not a string). */
    String fromJson(byte[] body) throws IOException {
        try (JsonParser p = json.createParser(body)) {
            return fromJson(p);
        }
    }

    /** The {@code api_app_id} field of a form; "" when it has none. */
    String fromForm(byte[] body) throws IOException {
        Field f = Field.find(body, FIELD);
        return f == null ? "" : f.decode(body);
    }

    /** The top-level {@code api_app_id} of the JSON in a form's {@code payload} field; "" when there is none. */
    String fromPayloadField(byte[] body) throws IOException {
        Field f = Field.find(body, "payload");
        if (f == null || f.from == f.to) {
            throw new IOException("no payload field");
        }
        try (JsonParser p = json.createParser(new FormDecodingStream(body, f.from, f.to))) {
            return fromJson(p);
        }
    }

    private static String fromJson(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals(FIELD)) {
                return value == JsonToken.VALUE_STRING ? p.getText() : "";
            }
            p.skipChildren();
        }
        return "";
    }

    /** Where one field's value lies in an {@code application/x-www-form-urlencoded} body, still encoded. */
    private record Field(int from, int to) {
        /** The first field named {@code name}, or null. */
        static Field find(byte[] body, String name) throws IOException {
            int start = 0;
            while (start < body.length) {
                int end = indexOf(body, (byte) '&', start, body.length);
                if (end < 0) {
                    end = body.length;
                }
                int eq = indexOf(body, (byte) '=', start, end);
                int nameEnd = eq < 0 ? end : eq;
                // An encoded name is at most three bytes per character of the decoded one: longer ones
                // cannot match and are not decoded at all.
                if (nameEnd - start <= 3 * name.length()
                        && AppIdReader.decode(body, start, nameEnd).equals(name)) {
                    return eq < 0 ? new Field(end, end) : new Field(eq + 1, end);
                }
                start = end + 1;
            }
            return null;
        }

        String decode(byte[] body) throws IOException {
            return AppIdReader.decode(body, from, to);
        }
    }

    private static String decode(byte[] body, int from, int to) throws IOException {
        try {
            return URLDecoder.decode(
                    new String(body, from, to - from, StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad %-escape in a form field");
        }
    }

    private static int indexOf(byte[] body, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The bytes of a form value, {@code +} and {@code %XX} decoded on the fly, for a parser to read. */
    private static final class FormDecodingStream extends InputStream {
        private final byte[] body;
        private final int to;
        private int at;

        FormDecodingStream(byte[] body, int from, int to) {
            this.body = body;
            this.at = from;
            this.to = to;
        }

        @Override
        public int read() throws IOException {
            if (at >= to) {
                return -1;
            }
            byte b = body[at++];
            if (b == '+') {
                return ' ';
            }
            if (b != '%') {
                return b & 0xff;
            }
            if (at + 2 > to) {
                throw new IOException("truncated %-escape in a form field");
            }
            int hi = Character.digit(body[at], 16);
            int lo = Character.digit(body[at + 1], 16);
            if (hi < 0 || lo < 0) {
                throw new IOException("bad %-escape in a form field");
            }
            at += 2;
            return hi << 4 | lo;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    break;
                }
                b[off + n++] = (byte) c;
            }
            return n == 0 ? -1 : n;
        }
    }
}
