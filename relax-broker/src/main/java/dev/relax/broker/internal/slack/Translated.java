package dev.relax.broker.internal.slack;

import dev.relax.core.event.WireEvent;

/**
 * A Relax event made from a Slack frame, with the identity brokers deduplicate it by.
 *
 * @param dedupeId stable across brokers that hold the same bot: built from Slack's own ids and
 *     timestamps, never from a broker's clock, so that each broker derives the same id for one event
 */
public record Translated(WireEvent event, String dedupeId) {}
