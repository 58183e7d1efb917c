/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

/**
 * The one unchecked exception of Relax. Subtypes name a few failures that callers act on differently;
 * messages say what went wrong and where, and never carry a token or other secret.
 */
public class RelaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RelaxException(String message) {
        super(message);
    }

    public RelaxException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A setting (environment variable or builder value) is missing or malformed. */
    public static RelaxException badSetting(String name, String problem) {
        return new ConfigException(name + " " + problem);
    }

    /** A required setting is absent; {@code hint} says what it is for. */
    public static RelaxException missingSetting(String name, String hint) {
        return new ConfigException(name + " is not set: " + hint);
    }

    /** Thrown when configuration is missing or malformed; the message names the setting. */
    public static final class ConfigException extends RelaxException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
