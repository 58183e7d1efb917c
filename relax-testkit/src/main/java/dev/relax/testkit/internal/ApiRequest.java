/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import java.util.Map;

/**
 * A Web API call as the simulator understood it.
 *
 * @param token the bearer token, or the {@code token} argument of a query or form; empty if none
 * @param basicUser the user of HTTP Basic authentication (oauth.v2.access's client id), or empty
 * @param basicPassword the password of HTTP Basic authentication, or empty
 * @param malformed true when the body claimed to be JSON but was not
 */
public record ApiRequest(
        String method,
        Map<String, String> args,
        String token,
        String basicUser,
        String basicPassword,
        boolean malformed) {
    public ApiRequest {
        args = Map.copyOf(args);
    }

    /** The argument, or an empty string when absent. */
    public String arg(String name) {
        return args.getOrDefault(name, "");
    }
}
