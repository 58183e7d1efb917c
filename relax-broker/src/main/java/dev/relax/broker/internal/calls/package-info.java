/**
 * Broker internals (Web API calls made for Slack apps from the calls stream); not API. {@link
 * dev.relax.broker.internal.calls.CallQueue} owns the lifecycle, {@link
 * dev.relax.broker.internal.calls.CallRunner} makes one call, {@link
 * dev.relax.broker.internal.calls.CallStore} holds every Redis step.
 */
package dev.relax.broker.internal.calls;
