/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A Web API call queued for the brokers ({@link RelaxClient#call(WebApiCall)}, {@link
 * RelaxClient#postMessage}, {@link RelaxClient#reply}). The call is durable once this object exists: a
 * broker makes it even if this app stops; {@link #result()} is how this app learns the outcome.
 */
public final class SlackCall {
    private final String id;
    private final CompletableFuture<CallResult> result;

    SlackCall(String id, CompletableFuture<CallResult> result) {
        this.id = Objects.requireNonNull(id, "id");
        this.result = Objects.requireNonNull(result, "result");
    }

    /** The call's id: look its result up later with {@link RelaxClient#callResult(String)}. */
    public String id() {
        return id;
    }

    /**
     * Completes when a broker has finished the call, with Slack's answer or the error. While no broker
     * runs it waits, up to the client's {@link RelaxClient.Builder#callResultTimeout(java.time.Duration)} (one day
     * by default), then fails with a {@link dev.relax.core.RelaxException} naming the call; so bound your
     * own wait: {@code result().get(30, SECONDS)} or {@code orTimeout}. Completing it by hand does not
     * cancel the call.
     */
    public CompletableFuture<CallResult> result() {
        return result;
    }

    @Override
    public String toString() {
        return "SlackCall[" + id + "]";
    }
}
