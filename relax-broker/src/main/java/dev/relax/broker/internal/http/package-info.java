/** Broker internals (http); not API. */
package dev.relax.broker.internal.http;
