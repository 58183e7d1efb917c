/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.client.DeadLetter;
import dev.relax.client.EventConsumer;
import dev.relax.client.internal.ConsumerRedis;
import dev.relax.core.event.MessageNew;
import dev.relax.core.json.RelaxJson;
import io.lettuce.core.ScriptOutputType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** At-least-once delivery: processing lists, retries, dead letters, ordering, crashes and outages. */
class ConsumerDeliveryIT extends ConsumerITSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    ConsumerDeliveryIT() {
        super("delivery");
    }

    private void push(String team, String channel, String text) {
        redis.rpush(config.eventsQueue(), message(team, channel, text));
    }

    @Test
    void poisonAndMalformedEventsGoToTheDeadLetterListAndTheConsumerCarriesOn() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        List<DeadLetter> errors = new CopyOnWriteArrayList<>();
        start(relax.consumer()
                .maxAttempts(3)
                .retryBackoff(Duration.ofMillis(10))
                .on(MessageNew.class, m -> {
                    if (m.text().equals("poison")) {
                        throw new IllegalStateException("cannot digest " + m.text());
                    }
                    handled.add(m.text());
                })
                .onError(errors::add));

        push("T1", "C1", "before");
        push("T1", "C1", "poison");
        redis.rpush(config.eventsQueue(), "{not json");
        push("T1", "C1", "after");

        await().atMost(WAIT).until(() -> handled.size() == 2 && errors.size() == 2);
        assertThat(handled).containsExactlyInAnyOrder("before", "after");
        List<String> dead = redis.lrange(config.eventsQueue() + ":dead", 0, -1);
        assertThat(dead).hasSize(2);
        JsonNode poison = dead.stream()
                .map(this::tree)
                .filter(d -> d.get("attempts").asInt() == 3)
                .findFirst()
                .orElseThrow();
        assertThat(poison.get("error").asText()).contains("IllegalStateException: cannot digest poison");
        assertThat(RelaxJson.decodeEvent(poison.get("event").asText()).text()).isEqualTo("poison");
        JsonNode malformed = dead.stream()
                .map(this::tree)
                .filter(d -> d.get("attempts").asInt() == 0)
                .findFirst()
                .orElseThrow();
        assertThat(malformed.get("event").asText()).isEqualTo("{not json");
        assertThat(malformed.get("error").asText()).contains("not a valid event");
        await().atMost(WAIT).until(() -> processing() == 0);
    }

    @Test
    void deadLetterListKeepsOnlyTheNewestEntriesUpToItsLimitInOrder() {
        List<DeadLetter> errors = new CopyOnWriteArrayList<>();
        start(relax.consumer()
                .concurrency(1)
                .maxAttempts(1)
                .deadLetterLimit(3)
                .on(MessageNew.class, m -> {
                    throw new IllegalStateException("cannot digest " + m.text());
                })
                .onError(errors::add));

        for (int i = 1; i <= 5; i++) {
            push("T1", "C1", "poison" + i);
        }

        await().atMost(WAIT).until(() -> errors.size() == 5);
        assertThat(redis.lrange(config.eventsQueue() + ":dead", 0, -1))
                .extracting(d ->
                        RelaxJson.decodeEvent(tree(d).get("event").asText()).text())
                .containsExactly("poison3", "poison4", "poison5");
        await().atMost(WAIT).until(() -> processing() == 0);
    }

    @Test
    void deadLetterScriptRunAgainAfterALostReplyWritesNoSecondDeadLetter() {
        String raw = "{\"type\":\"message_new\",\"text\":\"once\"}";
        String processing = config.eventsQueue() + ":processing:c1";
        String dead = config.eventsQueue() + ":dead";
        redis.rpush(processing, raw);

        List<Long> results = new ArrayList<>();
        for (int run = 0; run < 2; run++) { // a retry after a timeout whose script had run
            results.add(redis.eval(
                    ConsumerRedis.DEAD_LETTER,
                    ScriptOutputType.INTEGER,
                    new String[] {processing, dead},
                    raw,
                    "{\"event\":\"letter\"}",
                    "10"));
        }

        // 1: moved; 2: this dead letter is there already (the consumer reports it once, as written).
        assertThat(results).containsExactly(1L, 2L);
        assertThat(redis.lrange(dead, 0, -1)).containsExactly("{\"event\":\"letter\"}");
        assertThat(redis.llen(processing)).isZero();
    }

    /**
     * A retried dead letter whose event another consumer took back meanwhile (it reaped this consumer
     * during a long Redis blip) is not written, and says so (0): the event is on the queue again, and no
     * error handler must hear of a dead letter that does not exist.
     */
    @Test
    void deadLetterOfAnEventTakenBackMeanwhileIsNotWritten() {
        String raw = "{\"type\":\"message_new\",\"text\":\"taken back\"}";
        String processing = config.eventsQueue() + ":processing:c2";
        String dead = config.eventsQueue() + ":dead";

        Long result = redis.eval(
                ConsumerRedis.DEAD_LETTER,
                ScriptOutputType.INTEGER,
                new String[] {processing, dead},
                raw,
                "{\"event\":\"letter 2\"}",
                "10");

        assertThat(result).isZero();
        assertThat(redis.exists(dead)).isZero();
    }

    @Test
    void handlerThatFailsThenSucceedsIsRetriedNotDeadLettered() {
        AtomicInteger calls = new AtomicInteger();
        EventConsumer c = start(relax.consumer()
                .maxAttempts(3)
                .retryBackoff(Duration.ofMillis(10))
                .on(MessageNew.class, m -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new RuntimeException("flaky");
                    }
                }));

        push("T1", "C1", "flaky");

        await().atMost(WAIT).until(() -> c.handled() == 1);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(redis.llen(config.eventsQueue() + ":dead")).isZero();
    }

    @Test
    void perChannelOrderingKeepsEachChannelsOrderWhileChannelsRunConcurrently() {
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        EventConsumer c = start(relax.consumer()
                .concurrency(8)
                .ordering(EventConsumer.Ordering.PER_CHANNEL)
                .on(MessageNew.class, m -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    Thread.sleep((m.text().hashCode() & 3)); // uneven work
                    seen.computeIfAbsent(m.channelUid(), k -> new CopyOnWriteArrayList<>())
                            .add(Integer.parseInt(m.text().split("-")[1]));
                    running.decrementAndGet();
                }));

        for (int i = 0; i < 100; i++) {
            for (String channel : List.of("C1", "C2", "C3", "C4")) {
                push("T1", channel, channel + "-" + i);
            }
        }

        await().atMost(WAIT).until(() -> c.handled() == 400);
        for (String channel : List.of("C1", "C2", "C3", "C4")) {
            assertThat(seen.get(channel)).as(channel).isSorted().hasSize(100);
        }
        assertThat(maxRunning.get()).as("channels ran concurrently").isGreaterThan(1);
    }

    @Test
    void twoConsumersNeverBothHandleOneEvent() {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        EventConsumer a = start(
                relax.consumer().concurrency(4).on(MessageNew.class, m -> counts.merge(m.text(), 1, Integer::sum)));
        EventConsumer b = start(
                relax.consumer().concurrency(4).on(MessageNew.class, m -> counts.merge(m.text(), 1, Integer::sum)));

        for (int i = 0; i < 1000; i++) {
            push("T1", "C" + (i % 7), "e" + i);
        }

        await().atMost(WAIT).until(() -> a.handled() + b.handled() == 1000);
        assertThat(counts)
                .hasSize(1000)
                .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
        assertThat(a.handled()).isPositive();
        assertThat(b.handled()).isPositive();
    }

    @Test
    void appsThatBlpopTheQueueKeepWorkingBesideAConsumer() throws Exception {
        List<String> viaConsumer = new CopyOnWriteArrayList<>();
        start(relax.consumer().on(MessageNew.class, m -> viaConsumer.add(m.text())));
        List<String> viaBlpop = new ArrayList<>();

        for (int i = 0; i < 200; i++) {
            push("T1", "C1", "x" + i);
        }
        await().atMost(WAIT).until(() -> {
            var popped = redis.lpop(config.eventsQueue());
            if (popped != null) {
                viaBlpop.add(RelaxJson.decodeEvent(popped).text());
            }
            return viaConsumer.size() + viaBlpop.size() == 200;
        });
        List<String> all = new ArrayList<>(viaConsumer);
        all.addAll(viaBlpop);
        assertThat(all).doesNotHaveDuplicates().hasSize(200);
    }

    @Test
    void consumerWaitsOutARedisOutageAndResumesWithoutDuplicates() {
        assumeFalse(slack.redis().isCluster(), "an outage of one server: a cluster cannot stop and restart");
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        EventConsumer c = start(relax.consumer().on(MessageNew.class, m -> counts.merge(m.text(), 1, Integer::sum)));
        for (int i = 0; i < 20; i++) {
            push("T1", "C1", "before" + i);
        }
        await().atMost(WAIT).until(() -> c.handled() == 20);

        slack.redis().stop();
        await().atMost(WAIT).until(() -> !slack.redis().isRunning());
        slack.redis().restart();
        await().atMost(WAIT).ignoreExceptions().until(() -> "PONG".equals(redis.ping()));
        for (int i = 0; i < 20; i++) {
            push("T1", "C1", "after" + i);
        }

        await().atMost(WAIT).until(() -> c.handled() == 40);
        assertThat(counts).hasSize(40).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
    }

    @Test
    void stopLetsHandlersFinishWithinTheDeadline() {
        EventConsumer c = start(relax.consumer().concurrency(5).on(MessageNew.class, m -> Thread.sleep(300)));
        for (int i = 0; i < 5; i++) {
            push("T1", "C1", "slow" + i);
        }
        await().atMost(WAIT).until(() -> processing() == 5);

        assertThat(c.stop(Duration.ofSeconds(10))).isTrue();

        assertThat(c.handled()).isEqualTo(5);
        assertThat(processing()).isZero();
        assertThat(redis.llen(config.eventsQueue())).isZero();
    }

    @Test
    void stopReturnsEventsWhoseHandlersMissedTheDeadlineToTheQueue() {
        CountDownLatch never = new CountDownLatch(1);
        EventConsumer c = start(relax.consumer().concurrency(3).on(MessageNew.class, m -> never.await()));
        for (int i = 0; i < 3; i++) {
            push("T1", "C1", "stuck" + i);
        }
        await().atMost(WAIT).until(() -> processing() == 3);

        assertThat(c.stop(Duration.ofMillis(200))).isFalse();

        assertThat(processing()).isZero();
        assertThat(redis.lrange(config.eventsQueue(), 0, -1))
                .extracting(j -> RelaxJson.decodeEvent(j).text())
                .containsExactly("stuck0", "stuck1", "stuck2");
    }

    @Test
    void eventOfAConsumerKilledMidHandlerIsRedeliveredToAnother() throws Exception {
        Path out = Files.createTempFile("crashing-consumer", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        String prefix = config.eventsQueue().substring(0, config.eventsQueue().length() - "_events".length());
        Process victim = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashingConsumerMain.class.getName(),
                        Integer.toString(slack.redis().port()),
                        prefix,
                        "victim")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        try {
            push("T1", "C1", "in flight when it died");
            await().atMost(WAIT).until(() -> Files.readString(out).contains("HANDLING in flight when it died"));
            assertThat(redis.llen(config.eventsQueue() + ":processing:victim")).isEqualTo(1);

            victim.destroyForcibly(); // kill -9: no shutdown hook, no cleanup
            victim.waitFor();

            List<String> redelivered = new CopyOnWriteArrayList<>();
            start(relax.consumer()
                    .heartbeat(Duration.ofMillis(600))
                    .on(MessageNew.class, m -> redelivered.add(m.text())));
            await().atMost(WAIT).until(() -> redelivered.size() == 1);
            assertThat(redelivered).containsExactly("in flight when it died");
            assertThat(redis.llen(config.eventsQueue() + ":processing:victim")).isZero();
            assertThat(redis.smembers(config.eventsQueue() + ":consumers")).doesNotContain("victim");
        } finally {
            victim.destroyForcibly();
        }
    }

    private JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
