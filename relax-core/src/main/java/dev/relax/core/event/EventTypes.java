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
