/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.examples.relay.RecordedRequest;
import dev.relax.examples.relay.SampleBackend;
import dev.relax.relay.internal.BackendOutcome.Answered;
import dev.relax.relay.internal.BackendOutcome.CutOff;
import dev.relax.relay.internal.BackendOutcome.Errored;
import dev.relax.relay.internal.BackendOutcome.Failed;
import dev.relax.relay.internal.BackendOutcome.Failure;
import dev.relax.relay.internal.BackendOutcome.Malformed;
import dev.relax.relay.internal.BackendOutcome.Refused;
import dev.relax.relay.internal.CircuitBreakerTest.MutableClock;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BackendClient} against real HTTP backends: the sample backend and scripted misbehaving ones. */
class BackendClientIT {
    @RegisterExtension
    static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

    private static final Question QUESTION = new Question(
            "Ev0123ABCD",
            "A0123ABCD",
            "T0123ABCD",
            "C0123ABCD",
            "U0123ABCD",
            "1700000000.000100",
            "what is the deploy status?",
            false,
            null);
    private static final List<String> CHUNKS = SampleBackend.chunksOf(SampleBackend.answerTo(QUESTION.text()));
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5));
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<String> chunks = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : closing.reversed()) {
            resource.close();
        }
    }

    @Test
    void streamsSseChunksInOrderUntilDone() {
        SampleBackend backend = sample(SampleBackend.builder().chunkDelay(Duration.ZERO));
        BackendOutcome outcome = client(settings(backend.url())).ask(QUESTION, chunks::add);
        assertThat(outcome).isEqualTo(new Answered(CHUNKS.size()));
        assertThat(chunks).containsExactlyElementsOf(CHUNKS);
        assertThat(String.join("", chunks)).isEqualTo("You asked: what is the deploy status? — that is all I know.");
    }

    @Test
    void readsPlainTextChunks() {
        SampleBackend backend =
                sample(SampleBackend.builder().chunkDelay(Duration.ZERO).plainTextChunks());
        assertThat(client(settings(backend.url())).ask(QUESTION, chunks::add)).isEqualTo(new Answered(CHUNKS.size()));
        assertThat(chunks).containsExactlyElementsOf(CHUNKS);
    }

    @Test
    void readsAJsonAnswerAsOneChunk() {
        ScriptedBackend backend = scripted((exchange, call) -> ScriptedBackend.send(
                exchange, 200, "application/json; charset=utf-8", "{\"text\":\"All green.\",\"x\":1}"));
        assertThat(client(settings(backend.url())).ask(QUESTION, chunks::add)).isEqualTo(new Answered(1));
        assertThat(chunks).containsExactly("All green.");
    }

    @Test
    void sendsTheContractsBodyAndHeaders() {
        SampleBackend backend =
                sample(SampleBackend.builder().chunkDelay(Duration.ZERO).bearerToken("s3cret"));
        BackendClient client = client(settings(backend.url()).bearerToken("s3cret"));
        assertThat(client.ask(QUESTION, chunks::add)).isEqualTo(new Answered(CHUNKS.size()));
        RecordedRequest request = backend.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(request.header("Accept")).isEqualTo("text/event-stream, application/json");
        assertThat(request.header("Idempotency-Key")).isEqualTo("Ev0123ABCD");
        assertThat(request.header("Authorization")).isEqualTo("Bearer s3cret");
        assertThat(request.header("traceparent")).isNull();
        assertThat(request.body())
                .isEqualTo("{\"event_id\":\"Ev0123ABCD\",\"app_id\":\"A0123ABCD\",\"team_id\":\"T0123ABCD\","
                        + "\"channel\":\"C0123ABCD\",\"user\":\"U0123ABCD\",\"thread_ts\":\"1700000000.000100\","
                        + "\"text\":\"what is the deploy status?\",\"is_dm\":false}");
        assertThat(request.question().eventId()).isEqualTo("Ev0123ABCD");
    }

    @Test
    void sendsTraceparentOfTheCurrentSpan() {
        SampleBackend backend = sample(SampleBackend.builder().chunkDelay(Duration.ZERO));
        BackendClient client = client(settings(backend.url()));
        Span span = OTEL.getOpenTelemetry().getTracer("test").spanBuilder("ask").startSpan();
        try (Scope scope = span.makeCurrent()) {
            client.ask(QUESTION, chunks::add);
        } finally {
            span.end();
        }
        var context = span.getSpanContext();
        assertThat(context.isValid()).isTrue();
        assertThat(backend.requests().get(0).header("traceparent"))
                .isEqualTo("00-" + context.getTraceId() + "-" + context.getSpanId() + "-"
                        + context.getTraceFlags().asHex());
    }

    @Test
    void endsWithTheErrorEventsMessage() {
        ScriptedBackend backend = scripted((exchange, call) -> {
            ScriptedBackend.startStream(exchange);
            ScriptedBackend.write(
                    exchange,
                    "data: {\"text\":\"Let me \"}\n\n"
                            + "event: error\r\ndata: {\"message\":\"Quota exceeded, try later.\"}\r\n\r\n"
                            + "data: never shown\n\n");
        });
        BackendOutcome outcome = client(settings(backend.url())).ask(QUESTION, chunks::add);
        assertThat(outcome).isEqualTo(new Errored(1, "Quota exceeded, try later."));
        assertThat(chunks).containsExactly("Let me ");
    }

    @Test
    void refuses4xxWithTheBackendsMessageWithoutRetry() {
        SampleBackend backend = sample(SampleBackend.builder().failWith(403));
        BackendOutcome outcome = client(settings(backend.url())).ask(QUESTION, chunks::add);
        assertThat(outcome).isEqualTo(new Refused(403, "The sample backend was told to fail with 403."));
        assertThat(backend.requests()).hasSize(1);
        assertThat(chunks).isEmpty();
    }

    @Test
    void refusalWithPlainTextBodyShowsThatText() {
        ScriptedBackend backend = scripted(
                (exchange, call) -> ScriptedBackend.send(exchange, 422, "text/plain", "Ask me in English, please.\n"));
        assertThat(client(settings(backend.url())).ask(QUESTION, chunks::add))
                .isEqualTo(new Refused(422, "Ask me in English, please."));
    }

    @Test
    void retries500WithTheSameIdempotencyKeyThenFails() {
        SampleBackend backend = sample(SampleBackend.builder().failWith(500));
        BackendOutcome outcome =
                client(settings(backend.url()).retries(3, QUICK)).ask(QUESTION, chunks::add);
        assertThat(outcome).isEqualTo(new Failed(Failure.SERVER_ERROR, 3, "HTTP 500"));
        assertThat(backend.requests())
                .extracting(r -> r.header("Idempotency-Key"))
                .containsExactly("Ev0123ABCD", "Ev0123ABCD", "Ev0123ABCD");
    }

    @Test
    void retriesAfter503AndDeliversTheAnswer() {
        ScriptedBackend backend = scripted((exchange, call) -> {
            if (call == 1) {
                ScriptedBackend.send(exchange, 503, "text/plain", "busy");
            } else {
                ScriptedBackend.send(exchange, 200, "application/json", "{\"text\":\"Second time lucky.\"}");
            }
        });
        assertThat(client(settings(backend.url()).retries(3, QUICK)).ask(QUESTION, chunks::add))
                .isEqualTo(new Answered(1));
        assertThat(chunks).containsExactly("Second time lucky.");
        assertThat(backend.calls()).isEqualTo(2);
    }

    @Test
    void hangingBackendTimesOutBeforeTheFirstByte() {
        SampleBackend backend = sample(SampleBackend.builder().hang());
        // Long enough for a loaded machine to deliver each request before the client gives up on it.
        BackendSettings.Builder settings = settings(backend.url())
                .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10))
                .retries(2, QUICK);
        BackendOutcome outcome = client(settings).ask(QUESTION, chunks::add);
        assertThat(outcome).isEqualTo(new Failed(Failure.TIMEOUT, 2, "no response headers in time"));
        // The client may give up before the backend's thread has recorded the second request.
        await().atMost(WAIT).untilAsserted(() -> assertThat(backend.requests()).hasSize(2));
    }

    @Test
    void slowFirstByteWithinTheLimitIsAnswered() {
        SampleBackend backend =
                sample(SampleBackend.builder().chunkDelay(Duration.ZERO).slowFirstByte(Duration.ofMillis(300)));
        BackendSettings.Builder settings = settings(backend.url())
                .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(20));
        assertThat(client(settings).ask(QUESTION, chunks::add)).isEqualTo(new Answered(CHUNKS.size()));
        assertThat(chunks).containsExactlyElementsOf(CHUNKS);
    }

    @Test
    void slowFirstByteOverTheLimitTimesOut() {
        SampleBackend backend = sample(SampleBackend.builder().slowFirstByte(Duration.ofSeconds(30)));
        BackendSettings.Builder settings = settings(backend.url())
                .timeouts(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(client(settings).ask(QUESTION, chunks::add))
                .isEqualTo(new Failed(Failure.TIMEOUT, 1, "no response headers in time"));
        assertThat(chunks).isEmpty();
    }

    @Test
    void streamCutAfterTwoChunksDeliversThePartialAnswerWithoutRetry() {
        SampleBackend backend =
                sample(SampleBackend.builder().chunkDelay(Duration.ZERO).cutAfter(2));
        BackendOutcome outcome =
                client(settings(backend.url()).retries(3, QUICK)).ask(QUESTION, chunks::add);
        assertThat(outcome).isEqualTo(new CutOff(2, "the stream ended without done"));
        assertThat(chunks).containsExactly("You ", "asked: ");
        assertThat(backend.requests()).hasSize(1);
    }

    @Test
    void streamCutBeforeAnyChunkIsRetried() {
        SampleBackend backend =
                sample(SampleBackend.builder().chunkDelay(Duration.ZERO).cutAfter(0));
        BackendOutcome outcome =
                client(settings(backend.url()).retries(2, QUICK)).ask(QUESTION, chunks::add);
        assertThat(outcome).isEqualTo(new Failed(Failure.CUT_OFF, 2, "the stream ended without done"));
        assertThat(backend.requests()).hasSize(2);
    }

    @Test
    void streamSilentAfterAChunkIsCutOffByTheIdleTimeout() {
        ScriptedBackend backend = scripted((exchange, call) -> {
            ScriptedBackend.startStream(exchange);
            ScriptedBackend.write(exchange, "data: {\"text\":\"Thinking\"}\n\n");
            backendOf(exchange).stall();
        });
        // The idle clock starts at the headers: a loaded machine must not stall the backend between them and
        // the chunk for as long (the outcome would be a timeout before any chunk).
        BackendSettings.Builder settings = settings(backend.url())
                .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(20));
        assertThat(client(settings).ask(QUESTION, chunks::add)).isEqualTo(new CutOff(1, "idle timeout"));
        assertThat(chunks).containsExactly("Thinking");
    }

    @Test
    void malformedStreamIsReadAsTheSpecSaysAndEndsCutOff() {
        SampleBackend backend = sample(SampleBackend.builder().malformed());
        BackendOutcome outcome = client(settings(backend.url())).ask(QUESTION, chunks::add);
        assertThat(outcome).isEqualTo(new CutOff(3, "the stream ended without done"));
        assertThat(chunks).containsExactly("You asked: ", "{\"text\": \"unterminated", "\uFFFD\uFFFD not UTF-8");
    }

    @Test
    void jsonWithoutTextIsMalformed() {
        ScriptedBackend backend = scripted((exchange, call) ->
                ScriptedBackend.send(exchange, 200, "application/json", SampleBackend.MALFORMED_JSON));
        assertThat(client(settings(backend.url())).ask(QUESTION, chunks::add))
                .isEqualTo(new Malformed("a JSON answer without a string \"text\""));
    }

    @Test
    void otherContentTypeIsMalformed() {
        ScriptedBackend backend =
                scripted((exchange, call) -> ScriptedBackend.send(exchange, 200, "text/html", "<p>hello</p>"));
        assertThat(client(settings(backend.url())).ask(QUESTION, chunks::add))
                .isEqualTo(new Malformed("unexpected content type text/html"));
    }

    @Test
    void refusedConnectionIsRetriedThenFails() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        BackendOutcome outcome = client(
                        settings(URI.create("http://127.0.0.1:" + port + "/")).retries(2, QUICK))
                .ask(QUESTION, chunks::add);
        assertThat(outcome).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.failure()).isEqualTo(Failure.CONNECTION);
            assertThat(failed.attempts()).isEqualTo(2);
        });
    }

    @Test
    void openBreakerFailsFastThenProbesAfterCoolDown() {
        SampleBackend backend = sample(SampleBackend.builder().failWith(500));
        BackendClient client = client(settings(backend.url()).retries(1, QUICK).breaker(2, Duration.ofSeconds(30)));
        assertThat(client.ask(QUESTION, chunks::add)).isEqualTo(new Failed(Failure.SERVER_ERROR, 1, "HTTP 500"));
        assertThat(client.ask(QUESTION, chunks::add)).isEqualTo(new Failed(Failure.SERVER_ERROR, 1, "HTTP 500"));
        assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(client.ask(QUESTION, chunks::add))
                .isEqualTo(new Failed(Failure.BACKEND_UNAVAILABLE, 0, "the circuit breaker is open"));
        assertThat(backend.requests()).hasSize(2);

        clock.advance(Duration.ofSeconds(30));
        assertThat(client.ask(QUESTION, chunks::add)).isEqualTo(new Failed(Failure.SERVER_ERROR, 1, "HTTP 500"));
        assertThat(backend.requests()).hasSize(3);
        assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void breakerOpeningMidRetriesStopsTheRetries() {
        SampleBackend backend = sample(SampleBackend.builder().failWith(502));
        BackendClient client = client(settings(backend.url()).retries(5, QUICK).breaker(2, Duration.ofSeconds(30)));
        assertThat(client.ask(QUESTION, chunks::add))
                .isEqualTo(new Failed(Failure.BACKEND_UNAVAILABLE, 2, "the circuit breaker is open"));
        assertThat(backend.requests()).hasSize(2);
    }

    private static BackendSettings.Builder settings(URI url) {
        return BackendSettings.builder(url)
                .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(20))
                .retries(1, QUICK);
    }

    private BackendClient client(BackendSettings.Builder settings) {
        return closeLater(new BackendClient(settings.build(), clock, RandomGenerator.getDefault()));
    }

    private SampleBackend sample(SampleBackend.Builder builder) {
        return closeLater(builder.start());
    }

    private ScriptedBackend scripted(ScriptedBackend.Script script) {
        ScriptedBackend[] self = new ScriptedBackend[1];
        self[0] = closeLater(new ScriptedBackend((exchange, call) -> {
            exchange.setAttribute("backend", self[0]);
            script.answer(exchange, call);
        }));
        return self[0];
    }

    private static ScriptedBackend backendOf(com.sun.net.httpserver.HttpExchange exchange) {
        return (ScriptedBackend) exchange.getAttribute("backend");
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        closing.add(resource);
        return resource;
    }
}
