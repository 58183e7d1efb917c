/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.broker.internal.slack.Arrival;
import dev.relax.broker.internal.slack.DedupeKey;
import dev.relax.broker.internal.slack.FakeSlackHttp;
import dev.relax.broker.internal.slack.Translated;
import dev.relax.core.Secret;
import dev.relax.core.event.WireEvent;
import dev.relax.core.protocol.BotId;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BrokerTracingTest {
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    private final BrokerTracing tracing = new BrokerTracing(sdk);

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void aTraceparentNamesTheSpanItWasMadeFromAndReadsBackAsItsParent() {
        Span span = tracing.tracer().spanBuilder("x").startSpan();
        String traceparent = BrokerTracing.traceparent(span);
        span.end();

        assertThat(traceparent)
                .isEqualTo("00-" + span.getSpanContext().getTraceId() + "-"
                        + span.getSpanContext().getSpanId() + "-"
                        + span.getSpanContext().getTraceFlags().asHex());
        assertThat(span.getSpanContext().isSampled()).isTrue();
        Span parent = Span.fromContext(BrokerTracing.parent(traceparent));
        assertThat(parent.getSpanContext().getTraceId())
                .isEqualTo(span.getSpanContext().getTraceId());
        assertThat(parent.getSpanContext().getSpanId())
                .isEqualTo(span.getSpanContext().getSpanId());
        assertThat(parent.getSpanContext().isRemote()).isTrue();
    }

    @Test
    void withoutAnSdkThereIsNoTraceparentAndABadOneIsIgnored() {
        Span span = BrokerTracing.noop().tracer().spanBuilder("x").startSpan();

        assertThat(BrokerTracing.traceparent(span)).isNull();
        assertThat(Span.fromContext(BrokerTracing.parent("00-nonsense"))
                        .getSpanContext()
                        .isValid())
                .isFalse();
        assertThat(Span.fromContext(BrokerTracing.parent("")).getSpanContext().isValid())
                .isFalse();
        assertThat(Span.fromContext(BrokerTracing.parent(null)).getSpanContext().isValid())
                .isFalse();
    }

    @Test
    void aWebApiCallIsAClientSpanUnderTheCallersContextWithSlacksAnswer() throws Exception {
        FakeSlackHttp http =
                new FakeSlackHttp().answer("{\"ok\":true}").answer("{\"ok\":false,\"error\":\"channel_not_found\"}");
        Span handler = tracing.tracer().spanBuilder("handler").startSpan();
        try (Scope ignored = Context.root().with(handler).makeCurrent()) {
            http.api(tracing).call("chat.postMessage", Secret.of("xoxb-secret-token"), Map.of("text", "hello"));
            http.api(tracing).call("chat.postMessage", Secret.of("xoxb-secret-token"), Map.of("text", "hello"));
        }
        handler.end();

        List<SpanData> calls = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("chat.postMessage"))
                .toList();
        assertThat(calls).hasSize(2);
        assertThat(calls).allSatisfy(s -> {
            assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(s.getParentSpanId()).isEqualTo(handler.getSpanContext().getSpanId());
            assertThat(s.getAttributes().get(BrokerTracing.METHOD)).isEqualTo("chat.postMessage");
            assertThat(s.getAttributes().get(BrokerTracing.HTTP_STATUS)).isEqualTo(200L);
            assertThat(s.getAttributes().asMap().toString()).doesNotContain("xoxb", "hello");
        });
        assertThat(calls.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(calls.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(calls.get(1).getAttributes().get(BrokerTracing.SLACK_ERROR)).isEqualTo("channel_not_found");
    }

    @Test
    void withoutAnSdkAnEventIsLeftUntouchedEvenInsideAnotherSpan() {
        Translated t = new Translated(
                WireEvent.builder("message_new").teamUid("T1").text("hi").build(),
                DedupeKey.rtm(BotId.of("T1"), "message_new:C1:1.0", "C1", "1.0"));
        Span outer = tracing.tracer().spanBuilder("outer").startSpan();
        Translated out;
        try (Scope ignored = Context.root().with(outer).makeCurrent()) {
            out = BrokerTracing.noop().received(Arrival.now(Arrival.Transport.RTM), t);
        }
        outer.end();

        assertThat(out).isSameAs(t);
    }

    @Test
    void anEventsSpanCarriesItsTraceparentAndEndsOnceStored() {
        Translated t = new Translated(
                WireEvent.builder("message_new")
                        .teamUid("T1")
                        .text("secret text")
                        .build(),
                DedupeKey.rtm(BotId.of("T1"), "message_new:C1:1.0", "C1", "1.0"));
        Arrival arrival = Arrival.now(Arrival.Transport.RTM);

        Translated out = tracing.received(arrival, t);
        assertThat(spans.getFinishedSpanItems()).isEmpty();
        arrival.stored();

        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getName()).isEqualTo("receive message_new");
        assertThat(out.event().traceparent())
                .isEqualTo("00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                        + span.getSpanContext().getTraceFlags().asHex());
        assertThat(out.dedupe()).isEqualTo(t.dedupe());
        assertThat(span.getAttributes().asMap().toString()).doesNotContain("secret text");
    }

    @Test
    void aBrokerBuiltWithoutOpenTelemetryLeavesTheGlobalOneToTheApplication() {
        try {
            dev.relax.broker.RelaxBroker broker = dev.relax.broker.RelaxBroker.builder(
                            dev.relax.core.RelaxConfig.builder()
                                    .keysWithPrefix("t")
                                    .redis(dev.relax.core.RedisAddress.of("127.0.0.1", 1)) // never connected
                                    .build())
                    .build();
            broker.close();

            io.opentelemetry.api.GlobalOpenTelemetry.set(sdk); // throws once someone called get()
            assertThat(io.opentelemetry.api.GlobalOpenTelemetry.isSet()).isTrue();
        } finally {
            io.opentelemetry.api.GlobalOpenTelemetry.resetForTest();
        }
    }
}
