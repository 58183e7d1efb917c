/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

/** Ends a Web API method with {@code {"ok":false,"error":"<error>"}} and HTTP 200 (or the given status), as Slack answers. */
public final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;

    private final String error;
    private final int status;
    private final long retryAfterSeconds;

    public ApiError(String error) {
        this(error, 200, 0);
    }

    /** An error with another HTTP status, such as 429 with a {@code Retry-After} of whole seconds. */
    public ApiError(String error, int status, long retryAfterSeconds) {
        super(error, null, false, false);
        this.error = error;
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public String error() {
        return error;
    }
}
