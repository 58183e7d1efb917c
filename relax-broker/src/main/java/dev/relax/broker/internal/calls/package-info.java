/**
 * Broker internals (Web API calls made for Slack apps from the calls stream); not API. {@link
 * dev.relax.broker.internal.calls.CallQueue} reads the stream, takes over idle entries and owns the
 * lifecycle; {@link dev.relax.broker.internal.calls.LocalLanes} runs the calls this broker holds, one lane
 * per channel; {@link dev.relax.broker.internal.calls.CallRunner} makes one call (its attempts and what each
 * answer means), waiting at {@link dev.relax.broker.internal.calls.CallGate} for its turn and pace and ending
 * it through {@link dev.relax.broker.internal.calls.OutcomeWriter}; {@link
 * dev.relax.broker.internal.calls.CallStore} holds every Redis step, {@link
 * dev.relax.broker.internal.calls.CallScripts} their Lua. Key names, entry fields and the result JSON are
 * relax-core's ({@code dev.relax.core.protocol.CallKeys}, {@code CallRequest}, {@code CallOutcome}).
 */
package dev.relax.broker.internal.calls;
