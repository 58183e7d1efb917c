/**
 * Relax events: {@link dev.relax.core.event.WireEvent}, the event as it is on the queue, and
 * {@link dev.relax.core.event.RelaxEvent}, its typed view for exhaustive switches.
 */
package dev.relax.core.event;
