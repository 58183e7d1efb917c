/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a request to {@code /slack/...} ended: the {@code result} label of {@code
 * relax_events_api_requests_total} (docs/operations.md lists what each means) and of its WARN line.
 */
enum RequestResult {
    OK,
    IGNORED,
    BAD_SIGNATURE,
    STALE,
    MALFORMED,
    TOO_LARGE,
    UNKNOWN_APP,
    UNAVAILABLE,
    BUSY,
    BODY_TIMEOUT,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    ERROR;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The metric's label value, such as {@code bad_signature}. */
    String label() {
        return label;
    }

    /** Every label, for the metric to show at 0 from the start. */
    static String[] labels() {
        return Arrays.stream(values()).map(RequestResult::label).toArray(String[]::new);
    }
}
