/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.core.Secret;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One Web API request the simulator answered.
 *
 * @param method e.g. {@code rtm.connect}
 * @param token the token from the {@code Authorization} header or the {@code token} argument; empty if none
 * @param args every other argument, from the query, a form or a JSON body (objects and arrays as JSON text)
 * @param status the HTTP status of the answer: 200, or 429 while rate limited, 503 while refusing
 * @param error the {@code error} of an {@code "ok":false} answer, empty when the call succeeded
 */
public record ApiCall(Instant at, String method, Secret token, Map<String, String> args, int status, String error) {
    /** Arguments that hold secrets: masked by {@link #toString()}. */
    private static final Set<String> SECRET_ARGS = Set.of("client_secret", "token", "refresh_token", "code");

    public ApiCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(token, "token");
        args = Map.copyOf(args);
        Objects.requireNonNull(error, "error");
    }

    /** True when Slack would have answered {@code "ok":true}: HTTP 200 and no error. */
    public boolean ok() {
        return status == 200 && error.isEmpty();
    }

    /** The argument or an empty string. */
    public String arg(String name) {
        return args.getOrDefault(name, "");
    }

    /** The call with the token and secret arguments masked, safe for logs and assertion messages. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(args);
        shown.replaceAll((name, value) -> SECRET_ARGS.contains(name) ? "****" : value);
        String outcome = ok() ? "ok" : status + (error.isEmpty() ? "" : " " + error);
        return at + " " + method + " token=" + token + " " + shown + " -> " + outcome;
    }
}
