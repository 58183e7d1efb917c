/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import dev.relax.client.CallResult;
import dev.relax.client.RelaxClient;
import dev.relax.client.WebApiCall;
import java.util.concurrent.CompletableFuture;

/**
 * Makes Web API calls: in the relay, the calls stream of {@link RelaxClient#call(WebApiCall)} (the brokers
 * pace, order and retry them); in tests, a recording fake.
 */
interface SlackCalls {
    /** Queues {@code call}; the future completes with its result, ok or not. */
    CompletableFuture<CallResult> call(WebApiCall call);

    /** The calls stream of {@code relax}. */
    static SlackCalls of(RelaxClient relax) {
        return call -> relax.call(call).result();
    }
}
