/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples.relay;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request the {@link SampleBackend} received, recorded before it answered (so a request it never
 * answers, or refused, is recorded too).
 *
 * @param method the HTTP method
 * @param path the request path
 * @param headers the request headers, names case-insensitive
 * @param body the body as UTF-8 text
 * @param question the parsed body, or {@code null} when the request was refused as invalid
 */
public record RecordedRequest(
        String method, String path, Map<String, List<String>> headers, String body, Question question) {

    /** Copies the headers into an unmodifiable map whose names are case-insensitive. */
    public RecordedRequest {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
    }

    /** The first value of the header {@code name} (any case), or {@code null} when it was not sent. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
