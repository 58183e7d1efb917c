/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sample backend over HTTP: the contract's two kinds of answer, each misbehaviour, and refusals. */
class SampleBackendIT {
    private static final String QUESTION = "what is the deploy status?";
    private static final String ANSWER = "You asked: what is the deploy status? — that is all I know.";
    private static final String BODY =
            """
            {"event_id":"Ev0123","app_id":"A0123","team_id":"T0123","channel":"C0123","user":"U0123",\
            "thread_ts":"1700000000.000100","text":"%s","is_dm":false}"""
                    .formatted(QUESTION);
    private static final String SSE_AND_JSON = "text/event-stream, application/json";

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SampleBackend backend;

    @AfterEach
    void tearDown() {
        if (backend != null) {
            backend.close();
        }
        http.close();
    }

    @Test
    void answersWithOneJsonDocumentWhenTheRequestDoesNotAcceptEventStreams() throws Exception {
        backend = SampleBackend.builder().start();

        HttpResponse<String> response = send(post("application/json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(response.body()).isEqualTo("{\"text\":\"" + ANSWER + "\"}");
    }

    @Test
    void streamsTheAnswerWordByWordAfterAKeepAliveThenSaysDone() throws Exception {
        backend = SampleBackend.builder().chunkDelay(Duration.ZERO).start();

        HttpResponse<byte[]> response = http.send(post(SSE_AND_JSON).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        StringBuilder expected = new StringBuilder(": keep-alive\n\n");
        SampleBackend.chunksOf(ANSWER).forEach(chunk -> expected.append("data: {\"text\":\"" + chunk + "\"}\n\n"));
        expected.append("event: done\ndata: {}\n\n");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        SseReader.Stream stream = SseReader.read(response.body());
        assertThat(stream.comments()).containsExactly("keep-alive");
        assertThat(stream.data("message")).containsExactlyElementsOf(jsonChunks(SampleBackend.chunksOf(ANSWER)));
        assertThat(stream.events().getLast()).isEqualTo(new SseReader.Event("done", "{}"));
    }

    @Test
    void streamsPlainTextChunksThatJoinToTheAnswer() throws Exception {
        backend = SampleBackend.builder()
                .chunkDelay(Duration.ofMillis(1))
                .plainTextChunks()
                .start();

        SseReader.Stream stream = SseReader.read(sendBytes(post(SSE_AND_JSON)).body());

        assertThat(stream.data("message")).containsExactlyElementsOf(SampleBackend.chunksOf(ANSWER));
        assertThat(String.join("", stream.data("message"))).isEqualTo(ANSWER);
        assertThat(stream.data("done")).containsExactly("{}");
    }

    @Test
    void recordsEachRequestWithItsHeadersAndParsedBody() throws Exception {
        backend = SampleBackend.builder().bearerToken("backend-token").start();
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        HttpResponse<String> refused = send(post("application/json"));
        HttpResponse<String> answered = send(post("application/json")
                .header("Authorization", "Bearer backend-token")
                .header("Idempotency-Key", "Ev0123")
                .header("traceparent", traceparent));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo("{\"message\":\"The backend token is missing or wrong.\"}");
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(backend.requests()).hasSize(2);
        RecordedRequest request = backend.requests().get(1);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("idempotency-key")).isEqualTo("Ev0123");
        assertThat(request.header("TraceParent")).isEqualTo(traceparent);
        assertThat(request.header("Accept")).isEqualTo("application/json");
        assertThat(request.body()).isEqualTo(BODY);
        assertThat(request.question())
                .isEqualTo(new Question(
                        "Ev0123", "A0123", "T0123", "C0123", "U0123", "1700000000.000100", QUESTION, false, List.of()));
    }

    @Test
    void hangingBackendNeverAnswersSoTheClientTimesOut() throws Exception {
        backend = SampleBackend.builder().hang().start();

        assertThatThrownBy(() -> send(post(SSE_AND_JSON).timeout(Duration.ofMillis(300))))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(backend.requests())
                .singleElement()
                .extracting(RecordedRequest::question)
                .isNotNull();
    }

    @Test
    void failingBackendAnswersTheChosenStatusWithAJsonMessage() throws Exception {
        backend = SampleBackend.builder().failWith(500).start();

        HttpResponse<String> response = send(post(SSE_AND_JSON));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(response.body()).isEqualTo("{\"message\":\"The sample backend was told to fail with 500.\"}");
    }

    @Test
    void cutStreamEndsAfterTheChosenChunksWithoutDone() throws Exception {
        backend = SampleBackend.builder().chunkDelay(Duration.ZERO).cutAfter(3).start();

        HttpResponse<byte[]> response = sendBytes(post(SSE_AND_JSON));

        assertThat(response.statusCode()).isEqualTo(200);
        SseReader.Stream stream = SseReader.read(response.body());
        assertThat(stream.events())
                .extracting(SseReader.Event::type, SseReader.Event::data)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("message", "{\"text\":\"You \"}"),
                        org.assertj.core.groups.Tuple.tuple("message", "{\"text\":\"asked: \"}"),
                        org.assertj.core.groups.Tuple.tuple("message", "{\"text\":\"what \"}"));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).endsWith("data: {\"text\":\"what \"}\n\n");
    }

    @Test
    void malformedBackendSendsExactlyItsBrokenStreamOrBrokenJson() throws Exception {
        backend = SampleBackend.builder().malformed().start();

        HttpResponse<byte[]> stream = sendBytes(post(SSE_AND_JSON));
        HttpResponse<String> json = send(post("application/json"));

        assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(stream.body()).isEqualTo(SampleBackend.malformedStream());
        assertThat(SseReader.read(stream.body()).events())
                .containsExactly(
                        new SseReader.Event("message", "{\"text\":\"You asked: \"}"),
                        new SseReader.Event("message", "{\"text\": \"unterminated"),
                        new SseReader.Event("message", "\uFFFD\uFFFD not UTF-8"));
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json.body()).isEqualTo(SampleBackend.MALFORMED_JSON);
    }

    @Test
    void slowBackendSendsItsHeadersOnlyAfterTheDelayThenAnswers() throws Exception {
        Duration delay = Duration.ofMillis(300);
        backend = SampleBackend.builder().slowFirstByte(delay).start();

        long start = System.nanoTime();
        HttpResponse<String> response = send(post("application/json"));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(elapsed).isGreaterThanOrEqualTo(delay);
        assertThat(response.body()).isEqualTo("{\"text\":\"" + ANSWER + "\"}");
        assertThatThrownBy(() -> send(post("application/json").timeout(Duration.ofMillis(100))))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void refusesRequestsThatBreakTheContractWith400AndTheReason() throws Exception {
        backend = SampleBackend.builder().start();
        URI url = backend.url();

        HttpResponse<String> get = send(HttpRequest.newBuilder(url).GET());
        HttpResponse<String> text = send(HttpRequest.newBuilder(url)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)));
        HttpResponse<String> missing = send(HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(BODY.replace(",\"is_dm\":false", ""))));

        assertThat(List.of(get.statusCode(), text.statusCode(), missing.statusCode()))
                .containsExactly(400, 400, 400);
        assertThat(get.body()).isEqualTo("{\"message\":\"Bad request: the method must be POST, not GET.\"}");
        assertThat(text.body())
                .isEqualTo("{\"message\":\"Bad request: Content-Type must be application/json, not text/plain.\"}");
        assertThat(missing.body()).isEqualTo("{\"message\":\"Bad request: field \\\"is_dm\\\" must be a boolean.\"}");
        assertThat(backend.requests()).extracting(RecordedRequest::question).containsOnlyNulls();
    }

    @Test
    void closeEndsAStreamInProgress() throws Exception {
        backend = SampleBackend.builder().chunkDelay(Duration.ofMinutes(1)).start();
        HttpResponse<java.io.InputStream> response =
                http.send(post(SSE_AND_JSON).build(), HttpResponse.BodyHandlers.ofInputStream());

        backend.close();

        try (java.io.InputStream body = response.body()) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(": keep-alive\n\ndata: {\"text\":\"You \"}\n\n");
        }
    }

    private HttpRequest.Builder post(String accept) {
        return HttpRequest.newBuilder(backend.url())
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<String> jsonChunks(List<String> chunks) {
        List<String> json = new ArrayList<>();
        chunks.forEach(chunk -> json.add("{\"text\":\"" + chunk + "\"}"));
        return json;
    }
}
