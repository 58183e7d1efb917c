/** Broker internals (slack); not API. */
package dev.relax.broker.internal.slack;
