/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import dev.relax.client.CallResult;
import dev.relax.client.RelaxClient;
import dev.relax.client.WebApiCall;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Makes Web API calls: in the relay, the calls stream of {@link RelaxClient#call(WebApiCall)} (the brokers
 * pace, order and retry them); in tests, a recording fake.
 */
interface SlackCalls {
    /** Queues {@code call}; the future completes with its result, ok or not. */
    CompletableFuture<CallResult> call(WebApiCall call);

    /**
     * The calls stream of {@code relax}, with results handed to {@code callbacks}: the result futures
     * complete on the Redis client's threads, where queueing the next call (a blocking {@code XADD}) would
     * wait on itself.
     */
    static SlackCalls of(RelaxClient relax, Executor callbacks) {
        return call -> relax.call(call).result().thenApplyAsync(Function.identity(), callbacks);
    }
}
