/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import java.util.Locale;

/**
 * How brokers agree that an event is pushed once ({@code RELAX_MUTEX_MODE}).
 *
 * <ul>
 *   <li>{@link #BOUNDED} (the default, variable unset): expiring dedupe keys that include the team, so
 *       dedupe state stays bounded and two teams never shadow each other.
 *   <li>{@link #HASH} ({@code hash}): the Go broker's {@code HSETNX $RELAX_MUTEX_KEY bot_message:...}
 *       fields byte for byte, for a fleet that mixes Go and Java brokers during a migration.
 * </ul>
 */
public enum MutexMode {
    BOUNDED,
    HASH;

    /** Parses the variable: empty or {@code bounded} is {@link #BOUNDED}, {@code hash} is {@link #HASH}. */
    public static MutexMode parse(String value, String setting) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "bounded" -> BOUNDED;
            case "hash" -> HASH;
            default ->
                throw RelaxException.badSetting(
                        setting, "must be 'hash' or unset (bounded dedupe keys); was '" + value + "'");
        };
    }
}
