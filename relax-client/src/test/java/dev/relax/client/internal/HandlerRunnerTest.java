/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.client.DeadLetter;
import dev.relax.client.EventHandler;
import dev.relax.core.event.MessageNew;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One event's handler runs: retries with back-off, then acknowledgement or dead letter; nothing after stop() gave up. */
class HandlerRunnerTest {
    private static final String RAW = RelaxJson.encodeEvent(WireEvent.builder("message_new")
            .teamUid("T1")
            .channelUid("C1")
            .text("hi")
            .build());
    private static final RelaxEvent EVENT = RelaxJson.decodeTypedEvent(RAW);
    private static final Duration RUN = Duration.ofMillis(7);

    private final FakeProcessingList list = new FakeProcessingList();
    private final RecordingPause pause = new RecordingPause();
    private final ConsumerState state = new ConsumerState(() -> 0L);
    private final List<DeadLetter> told = new ArrayList<>();
    private final Map<Class<? extends RelaxEvent>, EventHandler<? extends RelaxEvent>> handlers = new LinkedHashMap<>();
    private EventHandler<RelaxEvent> fallback;
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    /** The message event as a broker whose receiving span is {@code 00-<trace>-<span>-01} wrote it. */
    private static RelaxEvent tracedEvent(String traceId, String spanId) {
        return RelaxJson.decodeTypedEvent(RelaxJson.encodeEvent(WireEvent.builder("message_new")
                .teamUid("T1")
                .channelUid("C1")
                .text("hi")
                .extraJson("traceparent", "\"00-" + traceId + "-" + spanId + "-01\"")
                .build()));
    }

    @Test
    void theHandlersSpanIsAChildOfTheBrokersAndCurrentWhileItRunsWithItsIdsInTheMdc() {
        String trace = "0af7651916cd43dd8448eb211c80319c";
        String brokerSpan = "b7ad6b7169203331";
        List<String> seen = new ArrayList<>();
        handlers.put(MessageNew.class, (EventHandler<MessageNew>) m -> {
            seen.add(ClientTracing.currentTraceparent());
            seen.add(org.slf4j.MDC.get("trace_id") + " " + org.slf4j.MDC.get("span_id"));
        });

        runner().run(RAW, tracedEvent(trace, brokerSpan));

        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(spans.getFinishedSpanItems()).hasSize(1);
        assertThat(span.getName()).isEqualTo("handle message_new");
        assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(span.getTraceId()).isEqualTo(trace);
        assertThat(span.getParentSpanId()).isEqualTo(brokerSpan);
        assertThat(span.getAttributes().get(ClientTracing.OUTCOME)).isEqualTo("ok");
        assertThat(span.getAttributes().get(ClientTracing.ATTEMPTS)).isEqualTo(1L);
        assertThat(span.getAttributes().get(ClientTracing.TEAM)).isEqualTo("T1");
        assertThat(seen)
                .containsExactly(
                        "00-" + trace + "-" + span.getSpanId() + "-"
                                + span.getSpanContext().getTraceFlags().asHex(),
                        trace + " " + span.getSpanId());
        assertThat(org.slf4j.MDC.get("trace_id")).isNull();
        assertThat(ClientTracing.currentTraceparent()).isEmpty();
    }

    @Test
    void aHandlerThatKeepsFailingEndsItsSpanInErrorAsDeadLettered() {
        failing(3);

        runner().run(RAW, tracedEvent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"));

        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getAttributes().get(ClientTracing.OUTCOME)).isEqualTo("dead_lettered");
        assertThat(span.getAttributes().get(ClientTracing.ATTEMPTS)).isEqualTo(3L);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void anEventWithoutTraceparentStartsANewTrace() {
        failing(0);

        runner().run(RAW, EVENT);

        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(span.getTraceId()).isNotEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    /** Each handler run takes {@link #RUN} on it. */
    private final MockClock clock = new MockClock();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final ConsumerMeters meters = new MicrometerMeters(registry).consumer("q", "c1");

    private HandlerRunner runner() {
        DeadLetters deadLetters = new DeadLetters(
                DeadLettersTest.SETTINGS, list, told::add, Clock.systemUTC(), pause, state::givenUp, meters);
        return new HandlerRunner(
                DeadLettersTest.SETTINGS,
                handlers,
                fallback,
                list,
                deadLetters,
                state,
                pause,
                new ClientTracing(sdk),
                meters);
    }

    private Timer handlerTimer(String outcome) {
        return registry.find("relax.consumer.handler")
                .tags("queue", "q", "type", "message_new", "outcome", outcome)
                .timer();
    }

    private double counted(String name) {
        return registry.find(name).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /** A handler that throws on its first {@code failures} runs. */
    private List<String> failing(int failures) {
        List<String> runs = new ArrayList<>();
        handlers.put(MessageNew.class, (EventHandler<MessageNew>) m -> {
            runs.add(m.text());
            clock.add(RUN);
            if (runs.size() <= failures) {
                throw new IllegalStateException("boom " + runs.size());
            }
        });
        return runs;
    }

    @Test
    void aHandlerThatReturnsHasItsEventAcknowledgedAndCounted() {
        List<String> runs = failing(0);
        HandlerRunner runner = runner();

        runner.run(RAW, EVENT);

        assertThat(runs).containsExactly("hi");
        assertThat(list.acknowledged).containsExactly(RAW);
        assertThat(runner.handled()).isEqualTo(1);
    }

    @Test
    void aHandlerThatThrowsIsRetriedWithDoublingBackoff() {
        List<String> runs = failing(2);
        HandlerRunner runner = runner();

        runner.run(RAW, EVENT);

        assertThat(runs).hasSize(3);
        assertThat(pause.pauses).containsExactly(200L, 400L);
        assertThat(list.acknowledged).containsExactly(RAW);
        assertThat(list.deadLetters).isEmpty();
        assertThat(runner.handled()).isEqualTo(1);
    }

    @Test
    void aHandlerThatFailsEveryAttemptSendsItsEventToTheDeadLettersWithTheLastError() {
        failing(3);
        HandlerRunner runner = runner();

        runner.run(RAW, EVENT);

        assertThat(list.acknowledged).isEmpty();
        assertThat(told).singleElement().satisfies(letter -> {
            assertThat(letter.error()).isEqualTo("java.lang.IllegalStateException: boom 3");
            assertThat(letter.attempts()).isEqualTo(3);
            assertThat(letter.rawEvent()).isEqualTo(RAW);
        });
        assertThat(runner.handled()).isZero();
    }

    @Test
    void anAcknowledgementIsRetriedWhileRedisIsAway() {
        failing(0);
        list.failures = 2;
        HandlerRunner runner = runner();

        runner.run(RAW, EVENT);

        assertThat(list.acknowledged).containsExactly(RAW);
        assertThat(pause.pauses).containsExactly(100L, 200L);
        assertThat(runner.handled()).isEqualTo(1);
    }

    @Test
    void aHandlerThatEndsAfterStopGaveUpLeavesItsEventAlone() {
        handlers.put(MessageNew.class, (EventHandler<MessageNew>) m -> {
            state.abandon(); // stop()'s deadline passed while it ran
            throw new InterruptedException();
        });
        HandlerRunner runner = runner();

        runner.run(RAW, EVENT);

        assertThat(list.acknowledged).isEmpty();
        assertThat(list.deadLetters).isEmpty();
        assertThat(told).isEmpty();
        assertThat(pause.pauses).isEmpty();
        assertThat(runner.handled()).isZero();
    }

    @Test
    void eachRunIsTimedByTypeAndOutcomeAndEachRetryCounted() {
        failing(2);

        runner().run(RAW, EVENT);

        assertThat(handlerTimer("error").count()).isEqualTo(2);
        assertThat(handlerTimer("error").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(14);
        assertThat(handlerTimer("ok").count()).isEqualTo(1);
        assertThat(handlerTimer("ok").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7);
        assertThat(registry.get("relax.consumer.retries")
                        .tags("queue", "q", "type", "message_new")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(counted("relax.consumer.dead.letters")).isZero();
    }

    @Test
    void anEventWhoseHandlerFailsEveryAttemptCountsOneDeadLetterOfAFailedHandler() {
        failing(3);

        runner().run(RAW, EVENT);

        assertThat(handlerTimer("error").count()).isEqualTo(3);
        assertThat(handlerTimer("ok")).isNull();
        assertThat(counted("relax.consumer.retries")).isEqualTo(2);
        assertThat(registry.get("relax.consumer.dead.letters")
                        .tags("reason", "failed")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("relax.consumer.dead.letters")
                        .tags("reason", "malformed")
                        .counter()
                        .count())
                .isZero();
    }

    @Test
    void aRunThatEndsAfterStopGaveUpIsTimedAsAbandonedAndNotRetried() {
        handlers.put(MessageNew.class, (EventHandler<MessageNew>) m -> {
            state.abandon();
            throw new InterruptedException();
        });

        runner().run(RAW, EVENT);

        assertThat(handlerTimer("abandoned").count()).isEqualTo(1);
        assertThat(handlerTimer("error")).isNull();
        assertThat(counted("relax.consumer.retries")).isZero();
    }

    @Test
    void anEventNoHandlerTakesIsNotTimed() {
        runner().run(RAW, EVENT);

        assertThat(registry.find("relax.consumer.handler").timers()).isEmpty();
    }

    @Test
    void aHandlersOwnInterruptIsClearedSoItsEventIsStillAcknowledged() {
        handlers.put(MessageNew.class, (EventHandler<MessageNew>)
                m -> Thread.currentThread().interrupt());
        HandlerRunner runner = runner();

        runner.run(RAW, EVENT);

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(list.acknowledged).containsExactly(RAW);
    }

    @Test
    void anEventNoHandlerTakesIsAcknowledgedWithoutCountingAsHandled() {
        HandlerRunner runner = runner();

        runner.run(RAW, EVENT);

        assertThat(list.acknowledged).containsExactly(RAW);
        assertThat(runner.handled()).isZero();
    }

    @Test
    void theFallbackTakesEventsOfTypesWithoutAHandler() {
        List<String> seen = new ArrayList<>();
        fallback = e -> seen.add(e.type());
        HandlerRunner runner = runner();

        runner.run(RAW, EVENT);

        assertThat(seen).containsExactly("message_new");
        assertThat(runner.handled()).isEqualTo(1);
    }
}
