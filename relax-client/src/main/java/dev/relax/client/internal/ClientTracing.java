/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.core.event.RelaxEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;

/**
 * The client's spans (docs/operations.md, "Traces") on the OpenTelemetry API: a handler's span is a
 * child of the broker's span that received the event (the event's {@code traceparent}), and a call queued
 * inside it carries its context back to the broker, so that a Slack event, its handler and the reply are
 * one trace. No-ops unless the application installed an SDK. Thread-safe.
 */
public final class ClientTracing {
    public static final String SCOPE = "dev.relax.client";

    static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("relax.event.type");
    static final AttributeKey<String> TEAM = AttributeKey.stringKey("slack.team_id");
    static final AttributeKey<String> APP = AttributeKey.stringKey("slack.app_id");
    static final AttributeKey<String> CONSUMER = AttributeKey.stringKey("relax.consumer.id");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("relax.handler.attempts");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("relax.handler.outcome");

    private static final TextMapSetter<String[]> ONE_VALUE = (carrier, key, value) -> {
        if (carrier != null && "traceparent".equals(key)) {
            carrier[0] = value;
        }
    };
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;

    public ClientTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    /**
     * The W3C {@code traceparent} of the current context (a handler's span, or the application's own), or
     * {@code ""} when there is no valid span: what a queued call carries.
     */
    public static String currentTraceparent() {
        if (!Span.current().getSpanContext().isValid()) {
            return "";
        }
        String[] out = new String[1];
        W3CTraceContextPropagator.getInstance().inject(Context.current(), out, ONE_VALUE);
        return out[0] == null ? "" : out[0];
    }

    /**
     * Starts the span of handling {@code event} ({@code CONSUMER}, {@code handle <type>}), a child of the
     * broker's span named by the event's {@code traceparent}, or a root when it has none or a bad one.
     */
    Span handling(RelaxEvent event, String consumerId) {
        String traceparent = event.wire().traceparent();
        Context parent = traceparent.isEmpty()
                ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
        var span = tracer.spanBuilder("handle " + event.type())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(EVENT_TYPE, event.type())
                .setAttribute(TEAM, event.teamUid())
                .setAttribute(CONSUMER, consumerId);
        if (!event.appId().isEmpty()) {
            span.setAttribute(APP, event.appId());
        }
        return span.startSpan();
    }

    /** Ends a handler's span: how many runs, and how it ended (an error status unless handled). */
    static void handled(Span span, int attempts, String outcome) {
        span.setAttribute(ATTEMPTS, (long) attempts);
        span.setAttribute(OUTCOME, outcome);
        if (!outcome.equals("ok") && !outcome.equals("unhandled")) {
            span.setStatus(StatusCode.ERROR, outcome);
        }
        span.end();
    }
}
