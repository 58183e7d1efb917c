/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedSerialExecutorTest {

    @Test
    void tasksOfOneKeyRunInOrderAndNeverOverlap() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        KeyedSerialExecutor serial = new KeyedSerialExecutor(pool);
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(400);
        for (int i = 0; i < 100; i++) {
            for (String key : List.of("a", "b", "c", "d")) {
                int n = i;
                serial.execute(key, () -> {
                    if (active.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    seen.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(n);
                    active.get(key).decrementAndGet();
                    done.countDown();
                });
            }
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(overlaps.get()).isZero();
        seen.values().forEach(list -> assertThat(list).isSorted().hasSize(100));
    }

    @Test
    void aFailingTaskDoesNotBlockItsKey() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        KeyedSerialExecutor serial = new KeyedSerialExecutor(pool);
        CountDownLatch after = new CountDownLatch(1);
        serial.execute("k", () -> {
            throw new IllegalStateException("boom");
        });
        serial.execute("k", after::countDown);
        assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
    }
}
