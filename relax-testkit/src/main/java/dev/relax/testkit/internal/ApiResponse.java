/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the Web API answers.
 *
 * @param retryAfterSeconds the {@code Retry-After} header, 0 for none
 * @param error the error of an {@code "ok":false} answer, empty on success
 */
public record ApiResponse(int status, String body, long retryAfterSeconds, String error) {
    public static ApiResponse ok(ObjectNode result) {
        ObjectNode body = Json.object();
        body.put("ok", true);
        body.setAll(result);
        return new ApiResponse(200, Json.write(body), 0, "");
    }

    public static ApiResponse error(int status, String error, long retryAfterSeconds) {
        ObjectNode body = Json.object();
        body.put("ok", false);
        body.put("error", error);
        return new ApiResponse(status, Json.write(body), retryAfterSeconds, error);
    }

    public static ApiResponse error(String error) {
        return error(200, error, 0);
    }
}
