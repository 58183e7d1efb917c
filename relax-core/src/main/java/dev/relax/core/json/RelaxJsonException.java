/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.json;

import dev.relax.core.RelaxException;

/**
 * A document that is not valid Relax JSON. The message says what is wrong and shows a short excerpt of
 * the input with every token masked; {@link #excerpt()} returns that excerpt alone.
 */
public final class RelaxJsonException extends RelaxException {
    private static final long serialVersionUID = 1L;
    private final String excerpt;

    RelaxJsonException(String what, String problem, String excerpt, Throwable cause) {
        super(what + ": " + problem + " (input: " + excerpt + ")", cause);
        this.excerpt = excerpt;
    }

    /** The redacted excerpt of the input where the problem is. */
    public String excerpt() {
        return excerpt;
    }
}
