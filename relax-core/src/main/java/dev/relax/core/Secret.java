/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A token, signing secret or password. Its {@link #toString()} shows only the kind of token
 * ({@code xoxb-****}), so a secret can sit in records, logs and exception messages without leaking.
 * Call {@link #reveal()} only where the value goes to Slack or Redis.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Wraps {@code value}; {@code null} becomes the empty secret. */
    public static Secret of(String value) {
        return new Secret(value == null ? "" : value);
    }

    /** The secret itself: pass it to Slack or Redis, never to a log. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Compares in constant time, so that a comparison does not reveal how much of a guess was right. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    /** {@code xoxb-****} for a Slack token, {@code ****} otherwise, {@code (empty)} when empty. */
    @Override
    public String toString() {
        if (value.isEmpty()) {
            return "(empty)";
        }
        int dash = value.indexOf('-');
        if (dash > 0 && dash <= 5 && value.startsWith("x")) {
            return value.substring(0, dash + 1) + "****";
        }
        return "****";
    }
}
