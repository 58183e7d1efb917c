/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds events stranded in our own processing list: there, yet held by no handler, on two looks in a row
 * (one look is not enough: a BLMOVE's event is in the list a moment before it is dispatched). A BLMOVE
 * whose reply was lost in a reconnect leaves such an event. Owned by the heartbeat thread.
 */
final class StrandedEvents {
    /** Untracked entries of our list at the previous look. */
    private Set<String> suspects = Set.of();

    /** Of the list {@code held} now, the entries no handler held now nor at the previous look, in list order. */
    List<String> confirm(List<String> held, Predicate<String> tracked) {
        Set<String> untracked = new LinkedHashSet<>();
        for (String raw : held) {
            if (!tracked.test(raw)) {
                untracked.add(raw);
            }
        }
        List<String> stranded = untracked.stream().filter(suspects::contains).toList();
        suspects = untracked;
        return stranded;
    }
}
