/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import dev.relax.broker.internal.http.BrokerMetrics;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rules for a registrations hash (bots, apps): read whole to reconcile with, or one field for a command. */
public final class RegistrationsHash {
    private static final Logger log = LoggerFactory.getLogger(RegistrationsHash.class);

    private RegistrationsHash() {}

    /**
     * True (logged at ERROR) when {@code hash} is empty while this broker runs {@code known} of what it
     * registers: more likely a Redis that lost its data than every bot or app removed at once, so the
     * reconciliation keeps what runs instead of stopping it all. A removal command still removes one.
     *
     * @param what "bots" or "apps", for the log
     */
    public static boolean seemsLost(String what, String key, Map<String, String> hash, int known) {
        if (!hash.isEmpty() || known == 0) {
            return false;
        }
        log.error(
                "the {} hash {} is empty but this broker knows {} {}; keeping them (did Redis lose its data?)",
                what,
                key,
                known,
                what);
        return true;
    }

    /**
     * The registration that {@code hget} reads from {@code field} of {@code key}, or null when there is
     * none: then the command that asked for it ({@code command}, e.g. "team_added for bot T1") is logged
     * as ignored and counted as rejected.
     */
    public static String read(
            Function<String, String> hget, String key, String field, String command, BrokerMetrics metrics) {
        String json = hget.apply(field);
        if (json == null) {
            log.warn("{}: no registration in {} field '{}'; ignored", command, key, field);
            metrics.commandsRejected.increment();
        }
        return json;
    }
}
