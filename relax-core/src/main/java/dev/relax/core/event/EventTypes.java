/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

/** Checks shared by the event records. */
final class EventTypes {
    private EventTypes() {}

    /** Checks that a record is built from an event of its own type. */
    static void require(WireEvent wire, String type) {
        java.util.Objects.requireNonNull(wire, "wire");
        if (!wire.type().equals(type)) {
            throw new IllegalArgumentException("expected an event of type " + type + ", got " + wire.type());
        }
    }
}
