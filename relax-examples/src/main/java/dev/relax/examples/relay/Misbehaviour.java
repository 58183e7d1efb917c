/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples.relay;

/** How a {@link SampleBackend} departs from the backend contract (docs/relay.md), chosen per instance. */
public enum Misbehaviour {
    /** Answers as the contract says. */
    NONE,
    /** Reads the request, then never answers (until {@link SampleBackend#close()}). */
    HANG,
    /** Answers every valid request with {@link SampleBackend.Builder#failWith(int) a status} and a message. */
    STATUS,
    /** Streams {@link SampleBackend.Builder#cutAfter(int) some chunks}, then ends without {@code done}. */
    CUT,
    /** Sends {@link SampleBackend#malformedStream()} (or {@link SampleBackend#MALFORMED_JSON}). */
    MALFORMED,
    /** Waits {@link SampleBackend.Builder#slowFirstByte(java.time.Duration) a while}, then answers. */
    SLOW_FIRST_BYTE
}
