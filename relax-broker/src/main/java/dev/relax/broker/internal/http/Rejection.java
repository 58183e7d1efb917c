/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

/** Ends a request to {@code /slack/...} early with a status and a result; the message says why, for the log. */
final class Rejection extends Exception {
    final int status;
    final RequestResult result;

    Rejection(int status, RequestResult result, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.result = result;
    }
}
