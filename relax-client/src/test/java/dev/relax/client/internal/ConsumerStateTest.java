/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsumerStateTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final ConsumerState state = new ConsumerState(nanos::get);

    @Test
    void dispatchesUntilStoppingBeginsAndNeverAfter() {
        List<String> dispatched = new ArrayList<>();

        assertThat(state.unlessStopping(() -> dispatched.add("before"))).isTrue();
        assertThat(state.beginStopping()).isTrue();
        assertThat(state.unlessStopping(() -> dispatched.add("after"))).isFalse();

        assertThat(dispatched).containsExactly("before");
        assertThat(state.stopping()).isTrue();
    }

    @Test
    void stoppingBeginsOnce() {
        assertThat(state.beginStopping()).isTrue();
        assertThat(state.beginStopping()).isFalse();
    }

    @Test
    void anEventDispatchedTwiceIsHeldUntilBothHandlersFinished() {
        state.dispatched("e");
        state.dispatched("e");

        state.finished("e");
        assertThat(state.holds("e")).isTrue();
        assertThat(state.inFlight()).isEqualTo(1);

        state.finished("e");
        assertThat(state.holds("e")).isFalse();
        assertThat(state.inFlight()).isZero();
    }

    @Test
    void drainedAtOnceWhenNoHandlerHoldsAnything() {
        assertThat(state.awaitDrained(state.now())).isTrue();
    }

    @Test
    void drainingEndsWithoutWaitingOnceTheDeadlinePassed() {
        state.dispatched("slow");
        long until = state.now() + Duration.ofSeconds(10).toNanos();
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());

        assertThat(state.awaitDrained(until)).isFalse();
        assertThat(state.holds("slow")).isTrue();
    }

    @Test
    void drainingEndsWhenTheLastHandlerFinishes() throws Exception {
        state.dispatched("a");
        state.dispatched("b");
        CompletableFuture<Boolean> drained =
                CompletableFuture.supplyAsync(() -> state.awaitDrained(state.now() + TimeUnit.MINUTES.toNanos(1)));

        state.finished("a");
        state.finished("b");

        assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void givenUpOnceAbandonedOrClosed() {
        assertThat(state.givenUp()).isFalse();

        state.abandon();
        assertThat(state.abandoned()).isTrue();
        assertThat(state.givenUp()).isTrue();

        ConsumerState closed = new ConsumerState(nanos::get);
        closed.close();
        assertThat(closed.abandoned()).isFalse();
        assertThat(closed.givenUp()).isTrue();
    }
}
