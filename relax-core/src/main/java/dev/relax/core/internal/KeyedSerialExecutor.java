/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Runs tasks on an executor so that tasks of one key run one at a time, in submission order, while
 * tasks of different keys run concurrently.
 */
public final class KeyedSerialExecutor {
    private final Executor executor;
    /** Keys with a task running; the deque holds the tasks waiting behind it. Guarded by itself. */
    private final Map<String, ArrayDeque<Runnable>> running = new HashMap<>();

    public KeyedSerialExecutor(Executor executor) {
        this.executor = executor;
    }

    public void execute(String key, Runnable task) {
        synchronized (running) {
            ArrayDeque<Runnable> waiting = running.get(key);
            if (waiting != null) {
                waiting.add(task);
                return;
            }
            running.put(key, new ArrayDeque<>());
        }
        executor.execute(() -> runThenNext(key, task));
    }

    private void runThenNext(String key, Runnable task) {
        try {
            task.run();
        } finally {
            Runnable next;
            synchronized (running) {
                ArrayDeque<Runnable> waiting = running.get(key);
                next = waiting.poll();
                if (next == null) {
                    running.remove(key);
                }
            }
            if (next != null) {
                Runnable n = next;
                executor.execute(() -> runThenNext(key, n));
            }
        }
    }
}
