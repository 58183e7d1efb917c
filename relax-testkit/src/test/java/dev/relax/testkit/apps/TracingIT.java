/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.client.EventConsumer;
import dev.relax.client.RelaxClient;
import dev.relax.core.event.MessageNew;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One trace from a Slack event to the reply it caused, across a real broker and a real consumer on
 * embedded Redis: the broker's span of the event, the consumer's handler span under it, and the broker's
 * span of the reply's call (with its chat.postMessage attempt) under the handler's (docs/operations.md,
 * "Traces").
 */
class TracingIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();

    @AfterEach
    void close() {
        sdk.close();
    }

    private Optional<SpanData> span(String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .findFirst();
    }

    private SpanData only(String name) {
        List<SpanData> named = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .toList();
        assertThat(named).as(name).hasSize(1);
        return named.get(0);
    }

    /** Starts a consumer that answers every message with "pong <text>" through the client's reply(). */
    private static EventConsumer ponger(RelaxClient relax) {
        return relax.consumer()
                .on(MessageNew.class, m -> relax.reply(m, "pong " + m.text()))
                .start();
    }

    @Test
    void aSocketModeEventItsHandlerAndTheReplyAreOneTrace(SlackSimulator slack, EmbeddedRedis redis) {
        App app = slack.app("ATR1").appToken("xapp-1-ATR1-secret");
        Workspace ws = slack.workspace("TTR1");
        User alice = ws.user("UATR1", "alice");
        Channel general = ws.channel("CTR1", "general");
        Bot bot = app.install(ws, "xoxb-tr1-secret", "UBTR1");
        try (TestBroker broker =
                        TestBroker.builder(slack, redis).openTelemetry(sdk).start();
                EventConsumer consumer = ponger(broker.client())) {
            broker.addInstallation(app.id(), bot);
            broker.client().registerApp(AppRegistration.socketMode(app.id(), "xapp-1-ATR1-secret"));
            await().atMost(WAIT).until(() -> app.openConnections() == 1);

            ws.as(alice).post(general, "ping");

            await().atMost(WAIT).until(() -> ws.history(general).stream()
                    .map(ChannelMessage::text)
                    .toList()
                    .contains("pong ping"));
            await().atMost(WAIT)
                    .until(() -> span("chat.postMessage").isPresent()
                            && span("call chat.postMessage").isPresent());
        }
        SpanData received = only("receive message_new");
        SpanData handled = only("handle message_new");
        SpanData call = only("call chat.postMessage");
        SpanData attempt = only("chat.postMessage");

        assertThat(List.of(received, handled, call, attempt))
                .extracting(SpanData::getTraceId)
                .containsOnly(received.getTraceId());
        assertThat(received.getParentSpanContext().isValid()).isFalse();
        assertThat(handled.getParentSpanId()).isEqualTo(received.getSpanId());
        assertThat(call.getParentSpanId()).isEqualTo(handled.getSpanId());
        assertThat(attempt.getParentSpanId()).isEqualTo(call.getSpanId());
        assertThat(List.of(received.getKind(), handled.getKind(), call.getKind(), attempt.getKind()))
                .containsExactly(SpanKind.CONSUMER, SpanKind.CONSUMER, SpanKind.CONSUMER, SpanKind.CLIENT);
        assertThat(received.getAttributes().get(AttributeKey.stringKey("relax.transport")))
                .isEqualTo("socket_mode");
        assertThat(received.getAttributes().get(AttributeKey.stringKey("slack.team_id")))
                .isEqualTo("TTR1");
        assertThat(received.getAttributes().get(AttributeKey.stringKey("slack.app_id")))
                .isEqualTo("ATR1");
        assertThat(received.getAttributes().get(AttributeKey.stringKey("slack.event_id")))
                .startsWith("Ev");
        assertThat(handled.getAttributes().get(AttributeKey.stringKey("relax.handler.outcome")))
                .isEqualTo("ok");
        assertThat(attempt.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isEqualTo(200L);
        // Attributes never hold the message text or a token.
        assertThat(spans.getFinishedSpanItems())
                .allSatisfy(
                        s -> assertThat(s.getAttributes().asMap().toString()).doesNotContain("ping", "xoxb", "xapp"));
    }

    @Test
    void anEventsApiEventsSpanIsAChildOfItsRequestsSpan(SlackSimulator slack, EmbeddedRedis redis) {
        try (TestBroker broker =
                TestBroker.builder(slack, redis).openTelemetry(sdk).start()) {
            EventsApiApp a = EventsApiApp.register(slack, broker, "ATR2", "secret-tr2", "TTR2");
            a.pointAt(broker, WAIT);

            a.ws().as(a.alice()).post(a.general(), "hello");

            await().atMost(WAIT).until(() -> broker.events().size() == 1);
            await().atMost(WAIT).until(() -> span("receive message_new").isPresent());
            SpanData received = only("receive message_new");
            SpanData request = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getSpanId().equals(received.getParentSpanId()))
                    .findFirst()
                    .orElseThrow();

            assertThat(request.getName()).isEqualTo("POST /slack/events");
            assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
            assertThat(request.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                    .isEqualTo(200L);
            assertThat(received.getAttributes().get(AttributeKey.stringKey("relax.transport")))
                    .isEqualTo("events_api");
            assertThat(broker.events().get(0).traceparent())
                    .isEqualTo("00-" + received.getTraceId() + "-" + received.getSpanId() + "-"
                            + received.getSpanContext().getTraceFlags().asHex());
        }
    }

    @Test
    void withoutTracingAnRtmEventIsWrittenWithoutTraceparent(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace ws = slack.workspace("TTR3");
        User alice = ws.user("UATR3", "alice");
        Channel general = ws.channel("CTR3", "general");
        Bot bot = ws.bot("xoxb-tr3-secret", "UBTR3", "relaxbot");
        try (TestBroker broker = TestBroker.start(slack, redis)) {
            broker.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);

            ws.as(alice).post(general, "plain");

            await().atMost(WAIT).until(() -> broker.events().size() == 1);
            String raw = broker.redis().lindex(broker.config().eventsQueue(), 0);
            assertThat(raw).doesNotContain("traceparent").contains("\"text\":\"plain\"");
            assertThat(broker.events().get(0).traceparent()).isEmpty();
        }
    }
}
