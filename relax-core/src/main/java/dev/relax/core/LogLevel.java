/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import java.util.Locale;

/** The broker's log level, {@code RELAX_LOG_LEVEL}. */
public enum LogLevel {
    DEBUG,
    INFO,
    WARN,
    ERROR;

    /** Parses {@code debug}, {@code info}, {@code warn} (or {@code warning}) and {@code error}, any case. */
    public static LogLevel parse(String value, String setting) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "debug" -> DEBUG;
            case "info" -> INFO;
            case "warn", "warning" -> WARN;
            case "error" -> ERROR;
            default ->
                throw RelaxException.badSetting(
                        setting, "must be one of debug, info, warn, error; was '" + value + "'");
        };
    }
}
