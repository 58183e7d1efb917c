/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import dev.relax.client.CallResult;
import dev.relax.client.WebApiCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Records calls and answers them at once: ok with a new ts, or the error set for the method. With {@link
 * #hold()} results wait until {@link #release()}, to see what a writer does while a call is in flight.
 */
final class FakeSlackCalls implements SlackCalls {
    private final List<WebApiCall> calls = new ArrayList<>();
    private final Map<String, String> errors = new HashMap<>();
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;
    private int messages;

    @Override
    public synchronized CompletableFuture<CallResult> call(WebApiCall call) {
        calls.add(call);
        String error = errors.getOrDefault(call.method(), "");
        String ts = call.params().getOrDefault("ts", "");
        if (error.isEmpty()
                && (call.method().equals("chat.postMessage") || call.method().equals("chat.startStream"))) {
            ts = "1700000000." + String.format("%06d", ++messages);
        }
        CallResult result = new CallResult(
                "id" + calls.size(),
                error.isEmpty(),
                call.method(),
                call.channel(),
                error.isEmpty() ? ts : "",
                error,
                1,
                "{}");
        CompletableFuture<CallResult> future = new CompletableFuture<>();
        if (holding) {
            held.add(() -> future.complete(result));
        } else {
            future.complete(result);
        }
        return future;
    }

    void fail(String method, String error) {
        errors.put(method, error);
    }

    void hold() {
        holding = true;
    }

    void release() {
        List<Runnable> now;
        synchronized (this) {
            holding = false;
            now = List.copyOf(held);
            held.clear();
        }
        now.forEach(Runnable::run);
    }

    synchronized List<WebApiCall> calls() {
        return List.copyOf(calls);
    }

    synchronized List<String> methods() {
        return calls.stream().map(WebApiCall::method).toList();
    }

    /** The text each call carried: {@code markdown_text} of streams, {@code text} of messages. */
    synchronized List<String> texts() {
        return calls.stream()
                .map(c -> c.params().getOrDefault("markdown_text", c.params().getOrDefault("text", "")))
                .toList();
    }
}
