/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.Arrival;
import dev.relax.broker.internal.slack.DedupeKey;
import dev.relax.broker.internal.slack.Translated;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.core.MutexMode;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link EventWriter} on an in-memory Redis ({@link FakeScriptRedis}) and a fake clock: the order it pushes
 * in, acknowledgements only once an event is in Redis, retries that push nothing twice, the full buffer,
 * flush and close. (EventWriterIT runs the real scripts on a real Redis.)
 */
class EventWriterTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final BotId BOT = new BotId("T1", "");

    private final FakeScriptRedis redis = new FakeScriptRedis();
    /** Its wall clock: 10 s past Unix second 1,700,000,000, which Slack's event times below are read against. */
    private final BrokerMetrics metrics = new BrokerMetrics(
            java.time.Clock.fixed(java.time.Instant.ofEpochSecond(1_700_000_010), java.time.ZoneOffset.UTC), false);
    /** The fake clock, in nanoseconds: moved only by the writer's pauses and by tests. */
    private final AtomicLong ticker = new AtomicLong();
    /** Every pause the writer took, in milliseconds. */
    private final List<Long> pauses = new CopyOnWriteArrayList<>();
    /** What ran once stored, in order, with whether the event was in the queue then. */
    private final List<String> acks = new CopyOnWriteArrayList<>();

    private final List<EventWriter> writers = new ArrayList<>();
    private ListAppender<ILoggingEvent> logs;
    private Logger writerLog;

    @BeforeEach
    void captureLogs() {
        writerLog = (Logger) LoggerFactory.getLogger(EventWriter.class);
        logs = new ListAppender<>();
        logs.start();
        writerLog.addAppender(logs);
    }

    @AfterEach
    void close() {
        writers.forEach(EventWriter::close);
        writerLog.detachAppender(logs);
    }

    private EventWriter writer(MutexMode mode, int capacity) {
        EventWriter w = new EventWriter(
                        null,
                        "q",
                        "m",
                        mode,
                        Duration.ofMinutes(10),
                        capacity,
                        10,
                        Duration.ZERO,
                        metrics,
                        BrokerTracing.noop())
                .using(redis, ticker::get, millis -> {
                    pauses.add(millis);
                    ticker.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
                    // Paces a writer that retries a Redis that stays down; the fake clock took the step.
                    Thread.sleep(1);
                });
        writers.add(w);
        return w;
    }

    /** Awaitility polling every millisecond: the writer thread takes that long, not Awaitility's 100 ms. */
    private static org.awaitility.core.ConditionFactory soon() {
        return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    /** The writer's log lines so far, of any level; a copy taken under the appender's lock. */
    private List<ILoggingEvent> logLines() {
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }

    private static Translated message(String ts) {
        WireEvent e = WireEvent.builder("message_new")
                .teamUid("T1")
                .channelUid("C1")
                .text("text " + ts)
                .timestamp(ts)
                .eventTimestamp(ts)
                .build();
        return new Translated(e, DedupeKey.rtm(BOT, "message_new:C1:" + ts, "C1", ts));
    }

    /** Offers the message of {@code ts}; its ack records the ts and whether Redis held the event by then. */
    private boolean offer(EventWriter w, String ts) {
        Translated t = message(ts);
        String json = RelaxJson.encodeEvent(t.event());
        return w.offer(
                BOT,
                t,
                Arrival.now(Arrival.Transport.RTM),
                () -> acks.add(ts + (redis.queue().contains(json) ? " in redis" : " NOT in redis")));
    }

    private List<String> queuedTimestamps() {
        return redis.queue().stream()
                .map(json -> RelaxJson.decodeEvent(json).timestamp())
                .toList();
    }

    @Test
    void pushesEventsInTheOrderOfferedInOneScriptPerBatchAndAcksEachOnlyOnceItIsInRedis() {
        EventWriter w = writer(MutexMode.BOUNDED, 100);
        offer(w, "1.1");
        offer(w, "1.2");
        offer(w, "1.3");

        w.start();

        soon().until(() -> acks.size() == 3);
        assertThat(queuedTimestamps()).containsExactly("1.1", "1.2", "1.3");
        assertThat(acks).containsExactly("1.1 in redis", "1.2 in redis", "1.3 in redis");
        assertThat(redis.calls()).hasSize(1);
        assertThat(metrics.eventsOut.count()).isEqualTo(3);
        assertThat(w.depth()).isZero();
    }

    @Test
    void timesSlacksEventsFromReceiptAndFromSlacksTimeOnceInRedisButNotTheBrokersOwn() {
        EventWriter w = writer(MutexMode.BOUNDED, 100);
        ticker.set(TimeUnit.SECONDS.toNanos(100));
        Arrival rtm = Arrival.at(Arrival.Transport.RTM, ticker.get() - TimeUnit.MILLISECONDS.toNanos(7));
        rtm.slackTime("1700000008.500000");
        Arrival noSlackTime = Arrival.at(Arrival.Transport.RTM, ticker.get() - TimeUnit.MILLISECONDS.toNanos(3));
        w.offer(BOT, message("1.1"), rtm);
        w.offer(BOT, message("1.2"), noSlackTime);
        w.offer(BOT, message("1.3"), Arrival.at(Arrival.Transport.BROKER, 0));

        w.start();

        soon().until(() -> metrics.eventsOut.count() == 3);
        assertThat(metrics.render())
                .contains("relax_event_write_seconds_count{transport=\"rtm\"} 2\n")
                .contains("relax_event_write_seconds_sum{transport=\"rtm\"} 0.01\n")
                .contains("relax_event_age_seconds_count{transport=\"rtm\"} 1\n")
                .contains("relax_event_age_seconds_sum{transport=\"rtm\"} 1.5\n")
                .doesNotContain("transport=\"broker\"");
    }

    @Test
    void boundedModeMarksEachEventWithItsOwnExpiringKeyAndAcksADuplicateItDidNotPush() {
        EventWriter w = writer(MutexMode.BOUNDED, 100);
        w.start();
        offer(w, "1.1");
        soon().until(() -> acks.size() == 1);

        // Another broker's copy, or Slack's redelivery: already there, so acknowledged, not pushed.
        offer(w, "1.1");
        soon().until(() -> acks.size() == 2);

        FakeScriptRedis.Call call = redis.calls().getFirst();
        assertThat(call.keys()).containsExactly("q", "m:T1:message_new:C1:1.1");
        assertThat(call.args())
                .containsExactly(
                        Long.toString(Duration.ofMinutes(10).toSeconds()),
                        RelaxJson.encodeEvent(message("1.1").event()));
        assertThat(queuedTimestamps()).containsExactly("1.1");
        assertThat(metrics.eventsOut.count()).isEqualTo(1);
        assertThat(metrics.eventsDeduplicated.count()).isEqualTo(1);
    }

    @Test
    void hashModeMarksTheGoBrokersFieldOfTheMutexHash() {
        EventWriter w = writer(MutexMode.HASH, 100);
        offer(w, "1.1");
        offer(w, "1.2");
        w.start();

        soon().until(() -> acks.size() == 2);

        FakeScriptRedis.Call call = redis.calls().getFirst();
        assertThat(call.keys()).containsExactly("q", "m");
        assertThat(call.args())
                .containsExactly(
                        "bot_message:C1:1.1",
                        RelaxJson.encodeEvent(message("1.1").event()),
                        "bot_message:C1:1.2",
                        RelaxJson.encodeEvent(message("1.2").event()));
        assertThat(redis.marks()).containsOnlyKeys("m bot_message:C1:1.1", "m bot_message:C1:1.2");
    }

    @Test
    void retriesAFailedWriteWithTheSameBatchInOrderAndBackingOffUntilRedisTakesIt() {
        redis.failNext(3);
        EventWriter w = writer(MutexMode.BOUNDED, 100);
        offer(w, "1.1");
        offer(w, "1.2");

        w.start();

        soon().until(() -> acks.size() == 2);
        assertThat(acks).containsExactly("1.1 in redis", "1.2 in redis");
        assertThat(redis.calls()).hasSize(4).allSatisfy(call -> assertThat(call)
                .isEqualTo(redis.calls().getFirst()));
        assertThat(pauses).containsExactly(50L, 100L, 200L);
        assertThat(queuedTimestamps()).containsExactly("1.1", "1.2");
        assertThat(metrics.redisErrors.count()).isEqualTo(3);
        assertThat(w.healthy()).isTrue();
    }

    @Test
    void aRetryOfAWriteRedisAppliedButWhoseAnswerWasLostPushesNothingTwice() {
        redis.loseNextAnswers(1);
        EventWriter w = writer(MutexMode.BOUNDED, 100);
        offer(w, "1.1");

        w.start();

        soon().until(() -> acks.size() == 1);
        assertThat(redis.calls()).hasSize(2);
        assertThat(queuedTimestamps()).containsExactly("1.1");
        assertThat(metrics.eventsOut.count()).isZero();
        assertThat(metrics.eventsDeduplicated.count()).isEqualTo(1);
    }

    @Test
    void isUnhealthyAndAcksNothingWhileRedisIsDownThenWritesWhatWaitedOnceItIsBack() {
        redis.down(true);
        EventWriter w = writer(MutexMode.BOUNDED, 100);
        w.start();
        offer(w, "1.1");

        soon().until(() -> !w.healthy() && metrics.redisErrors.count() >= 2);
        assertThat(acks).isEmpty();
        assertThat(w.depth()).isEqualTo(1);
        assertThat(logLines())
                .filteredOn(e -> e.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("cannot write events to Redis (io.lettuce.core.RedisConnectionException: Unable to "
                        + "connect to localhost:6379); keeping 1 events in memory and retrying");

        redis.down(false);

        soon().until(() -> acks.size() == 1 && w.healthy());
        assertThat(acks).containsExactly("1.1 in redis");
        assertThat(w.depth()).isZero();
    }

    @Test
    void loadsTheScriptAgainWhenRedisForgotIt() {
        EventWriter w = writer(MutexMode.BOUNDED, 100);
        w.start();
        offer(w, "1.1");
        soon().until(() -> acks.size() == 1);

        redis.forgetScripts();
        offer(w, "1.2");

        soon().until(() -> acks.size() == 2);
        assertThat(redis.scriptLoads()).isEqualTo(2);
        assertThat(queuedTimestamps()).containsExactly("1.1", "1.2");
        assertThat(metrics.redisErrors.count()).isZero();
    }

    @Test
    void loadsTheScriptAtStartSoThatTheFirstBatchIsOneCall() {
        EventWriter w = writer(MutexMode.BOUNDED, 100);
        w.start();
        soon().until(() -> redis.scriptLoads() == 1);
        assertThat(redis.queue()).isEmpty();

        offer(w, "1.1");

        soon().until(() -> acks.size() == 1);
        assertThat(redis.scriptLoads()).isEqualTo(1);
        assertThat(queuedTimestamps()).containsExactly("1.1");
    }

    @Test
    void aFullBufferRefusesAtOnceCountsEveryDropAndLogsOneLinePerFiveSeconds() {
        EventWriter w = writer(MutexMode.BOUNDED, 2);

        List<Boolean> taken = List.of(offer(w, "1.1"), offer(w, "1.2"), offer(w, "1.3"), offer(w, "1.4"));
        ticker.addAndGet(TimeUnit.SECONDS.toNanos(5) + 1);
        boolean later = offer(w, "1.5");

        assertThat(taken).containsExactly(true, true, false, false);
        assertThat(later).isFalse();
        assertThat(metrics.eventsDropped.count()).isEqualTo(3);
        assertThat(w.depth()).isEqualTo(2);
        assertThat(logLines())
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "event buffer full (2 events waiting for Redis): dropping event type=message_new "
                                + "team=T1; relax_events_dropped_total=1",
                        "event buffer full (2 events waiting for Redis): dropping event type=message_new "
                                + "team=T1; relax_events_dropped_total=3");

        w.start();
        soon().until(() -> acks.size() == 2);
        assertThat(queuedTimestamps()).containsExactly("1.1", "1.2");
        assertThat(acks).containsExactly("1.1 in redis", "1.2 in redis");
    }

    @Test
    void flushGivesUpAtItsDeadlineWhileRedisIsDownAndReturnsOnceEverythingIsWritten() {
        redis.down(true);
        EventWriter w = writer(MutexMode.BOUNDED, 100);
        w.start();
        offer(w, "1.1");
        soon().until(() -> !w.healthy());

        assertThat(w.flush(Duration.ofMillis(50))).isFalse();

        redis.down(false);
        assertThat(w.flush(Duration.ofHours(1))).isTrue();
        assertThat(redis.queue()).hasSize(1);
        // flush() waits for the write; the acknowledgement runs right after it, on the writer thread.
        soon().untilAsserted(() -> assertThat(acks).containsExactly("1.1 in redis"));
    }

    @Test
    void closingAcksNothingThatIsNotInRedisSoThatSlackRedeliversIt() {
        redis.down(true);
        EventWriter w = writer(MutexMode.BOUNDED, 100);
        w.start();
        offer(w, "1.1");
        soon().until(() -> metrics.redisErrors.count() >= 1);

        w.close();
        redis.down(false);

        assertThat(acks).isEmpty();
        assertThat(w.depth()).isEqualTo(1);
        assertThat(redis.queue()).isEmpty();
        assertThat(logLines())
                .extracting(ILoggingEvent::getFormattedMessage)
                .contains("closing with 1 events not written to Redis");
    }
}
