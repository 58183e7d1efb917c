/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.trace;

import dev.relax.broker.internal.slack.Arrival;
import dev.relax.broker.internal.slack.Translated;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.Protocol;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.time.Instant;
import java.util.List;

/**
 * The broker's spans (docs/operations.md, "Traces"), on the OpenTelemetry API: no-ops unless the
 * application (or the runnable jar, from {@code OTEL_*}) installed an SDK. Contexts travel between
 * processes as W3C {@code traceparent} values (https://www.w3.org/TR/trace-context/): in the
 * {@code traceparent} field of events and calls (docs/protocol.md). Attributes never hold message text or
 * tokens. Thread-safe.
 */
public final class BrokerTracing {
    /** The instrumentation scope of every broker span. */
    public static final String SCOPE = "dev.relax.broker";

    public static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("relax.transport");
    public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("relax.event.type");
    public static final AttributeKey<String> TEAM = AttributeKey.stringKey("slack.team_id");
    public static final AttributeKey<String> APP = AttributeKey.stringKey("slack.app_id");
    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("slack.event_id");
    public static final AttributeKey<String> METHOD = AttributeKey.stringKey("slack.method");
    public static final AttributeKey<String> SLACK_ERROR = AttributeKey.stringKey("slack.error");
    public static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    public static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    public static final AttributeKey<String> CALL_ENDING = AttributeKey.stringKey("relax.call.ending");
    public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    private static final BrokerTracing NOOP = new BrokerTracing(OpenTelemetry.noop());

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
    /**
     * Whether an SDK records spans. Without one, events are never touched: a no-op span is valid when the
     * current context holds a valid span, so the check cannot be left to the span alone.
     */
    private final boolean enabled;

    public BrokerTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.enabled = openTelemetry.getTracerProvider() != TracerProvider.noop();
    }

    /** Spans that are never recorded nor propagated: what a broker without an SDK has. */
    public static BrokerTracing noop() {
        return NOOP;
    }

    public Tracer tracer() {
        return tracer;
    }

    /**
     * The W3C {@code traceparent} of {@code span}, or null when it has no valid context (no SDK): so
     * that events and calls carry the field only when tracing is on.
     */
    public static String traceparent(Span span) {
        if (!span.getSpanContext().isValid()) {
            return null;
        }
        String[] out = new String[1];
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), out, ONE_VALUE);
        return out[0];
    }

    /**
     * The context a {@code traceparent} value names, as the parent of a span; {@link Context#root()} when
     * the value is null, empty or malformed (the W3C rules: a bad header is ignored, not an error).
     */
    public static Context parent(String traceparent) {
        if (traceparent == null || traceparent.isEmpty()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
    }

    /**
     * Starts the span of an event received at {@code arrival} ({@code CONSUMER}, named {@code receive
     * <type>}, back-dated to the receipt, a child of the current context: an Events API request's span, or
     * none), which ends once the event is in Redis ({@link Arrival#stored()}); and returns the event with
     * the span's {@code traceparent}, or {@code translated} itself when tracing is off.
     */
    public Translated received(Arrival arrival, Translated translated) {
        if (!enabled) {
            return translated; // no SDK: nothing recorded, the event stays as the Go broker writes it
        }
        WireEvent event = translated.event();
        Span span = tracer.spanBuilder("receive " + event.type())
                .setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(Instant.now().minusNanos(System.nanoTime() - arrival.receivedNanos()))
                .startSpan();
        String traceparent = traceparent(span);
        if (traceparent == null) {
            return translated;
        }
        span.setAttribute(TRANSPORT, arrival.transport().label());
        span.setAttribute(EVENT_TYPE, event.type());
        span.setAttribute(TEAM, event.teamUid());
        String app = event.appId();
        if (!app.isEmpty()) {
            span.setAttribute(APP, app);
        }
        String eventId = event.extraText(Protocol.FIELD_SLACK_EVENT_ID);
        if (!eventId.isEmpty()) {
            span.setAttribute(EVENT_ID, eventId);
        }
        arrival.span(span);
        WireEvent traced = event.toBuilder()
                .extraJson(Protocol.FIELD_TRACEPARENT, RelaxJson.quote(traceparent))
                .build();
        return new Translated(traced, translated.dedupe());
    }

    /**
     * Starts the {@code SERVER} span of a request from Slack to {@code path} ({@code POST /slack/events}),
     * back-dated to its receipt; the caller ends it with the status answered.
     */
    public Span request(String path, Arrival arrival) {
        return tracer.spanBuilder("POST " + path)
                .setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(Instant.now().minusNanos(System.nanoTime() - arrival.receivedNanos()))
                .setAttribute(HTTP_METHOD, "POST")
                .setAttribute(URL_PATH, path)
                .setAttribute(TRANSPORT, arrival.transport().label())
                .startSpan();
    }

    /**
     * Starts the span of a run of a queued call ({@code CONSUMER}, {@code call <method>}), a child of the
     * span that queued it ({@code traceparent} of the entry: a handler's), or of none. One call may run more
     * than once (held for a rate limit, deferred behind its channel): each run has its span. {@code method}
     * is the caller's to check: an entry's text when valid, else a fixed word, as it names the span.
     */
    public Span call(String method, String appId, String teamId, String traceparent) {
        return tracer.spanBuilder("call " + method)
                .setParent(parent(traceparent))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(METHOD, method)
                .setAttribute(APP, appId)
                .setAttribute(TEAM, teamId)
                .startSpan();
    }

    /** Ends a span with how the work ended ({@code relax.call.ending}: finished, deferred, ...). */
    public static void ended(Span span, String ending) {
        span.setAttribute(CALL_ENDING, ending);
        span.end();
    }

    /**
     * Starts the span of one Web API call ({@code CLIENT}, named after the method, e.g.
     * {@code chat.postMessage}), a child of {@code parent}.
     */
    public Span webApiCall(String method, Context parent) {
        return tracer.spanBuilder(method)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(METHOD, method)
                .startSpan();
    }

    /**
     * Ends a Web API call's span with what Slack answered: the HTTP status, and an error status with
     * Slack's {@code error} when the answer was not {@code ok}.
     */
    public static void answered(Span span, int status, boolean ok, String error) {
        span.setAttribute(HTTP_STATUS, (long) status);
        if (!ok) {
            span.setAttribute(SLACK_ERROR, error);
            span.setStatus(StatusCode.ERROR, error);
        }
        span.end();
    }

    /** Ends a span with an error status naming {@code failure}'s type (never its message: it may hold a URL). */
    public static void failed(Span span, Throwable failure) {
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        span.end();
    }
}
