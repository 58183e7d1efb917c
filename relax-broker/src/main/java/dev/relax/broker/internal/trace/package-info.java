/** Broker internals (trace): the OpenTelemetry spans and the W3C context they carry between processes; not API. */
package dev.relax.broker.internal.trace;
