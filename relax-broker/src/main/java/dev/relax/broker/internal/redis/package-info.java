/** Broker internals (redis); not API. */
package dev.relax.broker.internal.redis;
