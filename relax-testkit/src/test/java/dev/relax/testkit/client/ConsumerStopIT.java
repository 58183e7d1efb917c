/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.client;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import dev.relax.client.DeadLetter;
import dev.relax.client.EventConsumer;
import dev.relax.core.event.MessageNew;
import dev.relax.core.json.RelaxJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link EventConsumer#stop(Duration)}: draining without losing the heartbeat, and giving up cleanly. */
class ConsumerStopIT extends ConsumerITSupport {
    ConsumerStopIT() {
        super("stop");
    }

    private static String event(String text) {
        return message("T1", "C1", text);
    }

    private List<String> queued() {
        return redis.lrange(config.eventsQueue(), 0, -1).stream()
                .map(j -> RelaxJson.decodeEvent(j).text())
                .toList();
    }

    /** Whether a platform thread whose name ends with {@code suffix} is alive (virtual ones are not listed). */
    private static boolean threadAlive(String suffix) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().endsWith(suffix));
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException ignored) {
                // this handler deliberately outlives stop()'s deadline
            }
        }
    }

    @Test
    void stoppingConsumerKeepsBeatingSoNoOtherConsumerTakesTheEventOfItsSlowHandler() throws Exception {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A 2 s heartbeat refreshed every 667 ms: a scheduling stall of up to 1.3 s on a loaded machine
        // does not let b take the event; the wait below spans more than a whole heartbeat.
        EventConsumer a =
                start(relax.consumer().id("a").heartbeat(Duration.ofSeconds(2)).on(MessageNew.class, m -> {
                    counts.merge(m.text(), 1, Integer::sum);
                    started.countDown();
                    release.await();
                }));
        redis.rpush(config.eventsQueue(), event("slow"));
        assertThat(started.await(WAIT.toSeconds(), SECONDS)).isTrue();
        start(relax.consumer()
                .id("b")
                .heartbeat(Duration.ofMillis(300))
                .on(MessageNew.class, m -> counts.merge(m.text(), 1, Integer::sum)));

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> a.stop(WAIT));
        try {
            // More than one of a's heartbeat TTLs while b looks for dead consumers every 100 ms: a stays alive.
            await().during(Duration.ofMillis(3_500))
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> redis.exists(config.eventsQueue() + ":consumer:a") == 1
                            && counts.equals(Map.of("slow", 1))
                            && redis.llen(config.eventsQueue() + ":processing:a") == 1);
        } finally {
            release.countDown();
        }

        assertThat(stopped.get(WAIT.toSeconds(), SECONDS)).isTrue();
        assertThat(a.handled()).isEqualTo(1);
        assertThat(counts).containsExactly(entry("slow", 1));
        assertThat(queued()).isEmpty();
        assertThat(processing()).isZero();
        assertThat(redis.exists(config.eventsQueue() + ":consumer:a")).isZero();
        assertThat(redis.smembers(config.eventsQueue() + ":consumers")).containsExactly("b");
    }

    /**
     * A consumer that stopped while its fetch thread was stuck leaves a lingering key: the others keep it
     * in the registry and keep reaping it, so an event its late BLMOVE moves in is handled, not stranded.
     * (The state stop() leaves is made by hand: a stuck fetch needs one of the consumer's two connections
     * stalled, the other not.)
     */
    @Test
    void eventThatLandsInTheListOfALingeringStoppedConsumerIsReturned() {
        List<String> handled = new CopyOnWriteArrayList<>();
        String registry = config.eventsQueue() + ":consumers";
        redis.sadd(registry, "gone");
        redis.setex(config.eventsQueue() + ":consumer:gone lingering", 60, "1");
        EventConsumer b = start(relax.consumer()
                .id("b")
                .heartbeat(Duration.ofMillis(300))
                .on(MessageNew.class, m -> handled.add(m.text())));
        // b reaps "gone" (no heartbeat) every tick, and keeps it registered while it lingers.
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> redis.sismember(registry, "gone"));

        redis.rpush(config.eventsQueue() + ":processing:gone", event("late"));

        await().atMost(WAIT).until(() -> b.handled() == 1);
        assertThat(handled).containsExactly("late");
        redis.del(config.eventsQueue() + ":consumer:gone lingering");
        await().atMost(WAIT).until(() -> !redis.sismember(registry, "gone"));
        assertThat(processing()).isZero();
    }

    @Test
    void stoppingConsumerStartsNoHandlerForAnEventStrandedInItsListAndReturnsIt() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventConsumer a = start(
                relax.consumer().id("orphans").heartbeat(Duration.ofMillis(300)).on(MessageNew.class, m -> {
                    handled.add(m.text());
                    if (m.text().equals("slow")) {
                        started.countDown();
                        release.await();
                    }
                }));
        redis.rpush(config.eventsQueue(), event("slow"));
        assertThat(started.await(WAIT.toSeconds(), SECONDS)).isTrue();

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> a.stop(WAIT));
        // The fetch thread ends once stop() began; from then on nothing new may start.
        await().atMost(WAIT).until(() -> !threadAlive("relax-consumer-orphans"));
        // What a BLMOVE whose reply was lost leaves behind; a running consumer handles it after two ticks.
        redis.rpush(config.eventsQueue() + ":processing:orphans", event("stranded"));
        await().during(Duration.ofMillis(1_000))
                .atMost(Duration.ofSeconds(5))
                .until(() -> handled.equals(List.of("slow")));
        release.countDown();

        assertThat(stopped.get(WAIT.toSeconds(), SECONDS)).isTrue();
        assertThat(handled).containsExactly("slow");
        assertThat(queued()).containsExactly("stranded");
        assertThat(processing()).isZero();
    }

    /** What a handler does once stop() gave up on it and interrupted its thread. */
    enum AfterInterrupt {
        /** Ignores the interrupt, then throws once it is let go. */
        THROWS_LATER,
        /** Restores the interrupt flag and throws a RuntimeException caused by the InterruptedException. */
        WRAPS_THE_INTERRUPT,
        /** Ignores the interrupt, then returns normally once it is let go. */
        RETURNS_LATER
    }

    @ParameterizedTest
    @EnumSource(AfterInterrupt.class)
    void eventWhoseHandlerMissedTheDeadlineGoesBackOnceAndIsNeitherRetriedNorDeadLettered(AfterInterrupt behaviour)
            throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<DeadLetter> errors = new CopyOnWriteArrayList<>();
        EventConsumer c = start(relax.consumer()
                .id("late")
                .maxAttempts(3)
                .retryBackoff(Duration.ofMillis(10))
                .onError(errors::add)
                .on(MessageNew.class, m -> {
                    calls.incrementAndGet();
                    handlerThread.set(Thread.currentThread());
                    started.countDown();
                    switch (behaviour) {
                        case THROWS_LATER -> {
                            awaitIgnoringInterrupts(release);
                            throw new IllegalStateException("finished after the deadline");
                        }
                        case WRAPS_THE_INTERRUPT -> {
                            try {
                                new CountDownLatch(1).await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new RuntimeException("interrupted", e);
                            }
                        }
                        case RETURNS_LATER -> awaitIgnoringInterrupts(release);
                    }
                }));
        redis.rpush(config.eventsQueue(), event("late"));
        assertThat(started.await(WAIT.toSeconds(), SECONDS)).isTrue();

        assertThat(c.stop(Duration.ofMillis(200))).isFalse();
        release.countDown();

        // Nothing of the consumer keeps running: no retry loop, no dead-letter loop, no spinning thread.
        await().atMost(WAIT).until(() -> !handlerThread.get().isAlive());
        await().atMost(WAIT).until(() -> !threadAlive("-late"));
        assertThat(calls.get()).isEqualTo(1);
        assertThat(queued()).containsExactly("late");
        assertThat(processing()).isZero();
        assertThat(redis.llen(config.eventsQueue() + ":dead")).isZero();
        assertThat(errors).isEmpty();
        assertThat(c.handled()).isZero();
    }

    @Test
    void closeStopsTheConsumerOnceAndClosingAgainDoesNothing() {
        EventConsumer c = relax.consumer().onAny(e -> {}).start();
        String heartbeat = config.eventsQueue() + ":consumer:" + c.id();
        assertThat(redis.exists(heartbeat)).isEqualTo(1);

        c.close();

        assertThat(redis.exists(heartbeat)).isZero();
        assertThat(redis.sismember(config.eventsQueue() + ":consumers", c.id())).isFalse();
        await().atMost(WAIT).until(() -> !threadAlive("relax-consumer-heartbeat-" + c.id()));
        c.close();
        assertThat(c.stop(Duration.ofSeconds(5))).isTrue();
    }
}
