/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.broker.internal.slack.FakeSlackHttp;
import dev.relax.core.Secret;
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
}
