/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.protocol.AppRegistration;
import dev.relax.examples.relay.SampleBackend;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The relay's trace of a question, from Slack's event to the last call of its answer, and its meters. */
class RelayObservabilityIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        sdk.close();
    }

    private record Setup(App app, Workspace ws, Bot bot, User alice, Channel general) {}

    private static Setup setup(SlackSimulator slack, TestBroker broker, int run) {
        String id = "RO" + run;
        App app = slack.app("A" + id).appToken("xapp-1-A" + id + "-secret");
        Workspace ws = slack.workspace("T" + id);
        Bot bot = app.install(ws, "xoxb-" + id, "UB" + id);
        broker.addInstallation(app.id(), bot);
        broker.client()
                .registerApp(AppRegistration.socketMode(app.id(), "xapp-1-A" + id + "-secret")
                        .withConnections(1));
        await().atMost(WAIT).until(() -> app.openConnections() == 1);
        return new Setup(app, ws, bot, ws.user("UA" + id, "alice"), ws.channel("C" + id, "general"));
    }

    private List<SpanData> named(String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .toList();
    }

    private SpanData byId(String spanId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(spanId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + spanId));
    }

    @Test
    void aQuestionTheBackendCallAndEveryCallOfTheAnswerAreOneTrace(SlackSimulator slack, EmbeddedRedis redis) {
        int run = RUNS.incrementAndGet();
        try (TestBroker broker = TestBroker.builder(slack, redis)
                        .config(c -> c.keysWithPrefix("relayobs" + run))
                        .openTelemetry(sdk)
                        .start();
                SampleBackend backend =
                        SampleBackend.builder().chunkDelay(Duration.ofMillis(5)).start()) {
            Setup s = setup(slack, broker, run);
            RelaySettings settings = RelaySettings.defaults(BackendSettings.defaults(backend.url()));
            try (Relay relay = Relay.start(broker.client(), settings, Clock.systemUTC(), sdk, registry)) {
                s.ws().as(s.alice()).mention(s.bot(), s.general(), "trace me");

                await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
                await().atMost(WAIT).until(() -> !named("call chat.stopStream").isEmpty());
            }

            SpanData backendCall = named("POST backend").get(0);
            SpanData handled = byId(backendCall.getParentSpanId());
            SpanData received = byId(handled.getParentSpanId());
            assertThat(backendCall.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(handled.getName()).isEqualTo("handle message_new");
            assertThat(received.getName()).isEqualTo("receive message_new");
            assertThat(received.getParentSpanContext().isValid()).isFalse();
            // The backend was told the client span: its traceparent names it.
            assertThat(backend.requests().get(0).header("traceparent"))
                    .startsWith("00-" + backendCall.getTraceId() + "-" + backendCall.getSpanId() + "-");
            for (String method : List.of("assistant.threads.setStatus", "chat.startStream", "chat.stopStream")) {
                assertThat(named("call " + method)).as(method).singleElement().satisfies(call -> {
                    assertThat(call.getTraceId()).isEqualTo(received.getTraceId());
                    assertThat(call.getParentSpanId()).isEqualTo(handled.getSpanId());
                });
            }
        }
    }

    @Test
    void answersAndBackendFailuresAreMeasured(SlackSimulator slack, EmbeddedRedis redis) {
        int run = RUNS.incrementAndGet();
        try (TestBroker broker = TestBroker.builder(slack, redis)
                        .config(c -> c.keysWithPrefix("relayobs" + run))
                        .start();
                ScriptedBackend backend = new ScriptedBackend((exchange, call) -> {
                    if (call == 1) {
                        ScriptedBackend.send(exchange, 200, "application/json", "{\"text\":\"fine\"}");
                    } else {
                        ScriptedBackend.send(exchange, 400, "application/json", "{\"message\":\"no\"}");
                    }
                })) {
            Setup s = setup(slack, broker, run);
            RelaySettings settings = RelaySettings.defaults(BackendSettings.defaults(backend.url()));
            try (Relay relay = Relay.start(broker.client(), settings, Clock.systemUTC(), sdk, registry)) {
                s.ws().as(s.alice()).mention(s.bot(), s.general(), "one");
                await().atMost(WAIT).until(() -> relay.questionsDone() == 1);
                s.ws().as(s.alice()).mention(s.bot(), s.general(), "two");
                await().atMost(WAIT).until(() -> relay.questionsDone() == 2);

                // The refusal is the user's error message, not an answer's first text.
                assertThat(registry.get("relax.relay.first.chunk").timer().count())
                        .isEqualTo(1);
                assertThat(registry.get("relax.relay.answers")
                                .tag("outcome", "answered")
                                .timer()
                                .count())
                        .isEqualTo(1);
                assertThat(registry.get("relax.relay.answers")
                                .tag("outcome", "refused")
                                .timer()
                                .count())
                        .isEqualTo(1);
                assertThat(registry.get("relax.relay.backend.errors")
                                .tag("kind", "refused")
                                .counter()
                                .count())
                        .isEqualTo(1.0);
                // Read at each scrape: the handler lets go of the question just as it counts it done.
                await().atMost(WAIT).untilAsserted(() -> assertThat(registry.get("relax.relay.questions.in.flight")
                                .gauge()
                                .value())
                        .isZero());
                assertThat(registry.find("relax.consumer.queue.length").gauges())
                        .hasSize(1);
            }
        }
    }
}
