/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

/**
 * Where {@link BackendClient} hands an answer, chunk by chunk, as it arrives: the whole text of a JSON
 * answer is one chunk. Called on the thread that called {@link BackendClient#ask}, in order.
 */
@FunctionalInterface
interface AnswerSink {
    /** One chunk of the answer, to append as it is (spaces and line breaks included); never empty. */
    void chunk(String text);

    /**
     * The whole answer at once (a JSON answer): no chunk comes after it, so it can be written as one
     * message. By default, one chunk.
     */
    default void whole(String text) {
        chunk(text);
    }
}
