/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static dev.relax.testkit.apps.SlackRequests.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.relax.core.event.WireEvent;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.EventDelivery;
import dev.relax.testkit.MetricsPage;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The broker's {@code /slack/...} endpoints against what anyone on the internet can send them: floods of
 * unsigned bodies must cost the broker little and not hold up Slack's signed events, and the HTTP server
 * listens where it is told to.
 */
class EventsApiAbuseIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK = SlackSimulatorExtension.create()
            .withRedis()
            // A timeout well above any answer time of a loaded machine, so that every delivery's status is
            // known (an http_timeout would leave it open whether the broker counted it ok); quick retries.
            .configure(b -> b.eventsTimeout(Duration.ofSeconds(20))
                    .eventsRetryDelays(Duration.ofMillis(200), Duration.ofMillis(500))
                    .maxRetries(6));

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final byte[] NESTED_ARRAYS = nestedEmptyArrays(1 << 20);

    @Test
    void signedEventsFlowWhileUnsignedMegabyteBodiesFloodTheEndpoint(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            EventsApiApp app = EventsApiApp.register(slack, relax, "AFLOOD", "flood-secret", "TFLOOD");
            app.pointAt(relax, WAIT);
            MetricsPage before = relax.metrics();
            int threads = 4;
            int perThread = 20;
            int signed = 15;

            List<Integer> health = new ArrayList<>();
            try (ExecutorService flood = Executors.newFixedThreadPool(threads)) {
                List<Future<Integer>> sent = IntStream.range(0, threads)
                        .mapToObj(t -> flood.submit(() -> {
                            int n = 0;
                            for (int i = 0; i < perThread; i++) {
                                n += postUnsigned(relax.broker().httpPort(), NESTED_ARRAYS);
                            }
                            return n;
                        }))
                        .toList();
                for (int i = 0; i < signed; i++) {
                    app.ws().as(app.alice()).post(app.general(), "signed " + i);
                }
                // Health and metrics stay answerable while the flood goes on.
                for (String path : List.of("/", "/ready", "/metrics")) {
                    health.add(get(relax, path).statusCode());
                }
                int total = 0;
                for (Future<Integer> f : sent) {
                    total += f.get();
                }
                assertThat(total).isEqualTo(threads * perThread);
            }
            assertThat(health).containsExactly(200, 200, 200);

            await().atMost(WAIT).until(() -> relax.events().size() >= signed);
            await().atMost(WAIT)
                    .until(() -> app.callbacks(slack).stream()
                                    .filter(EventDelivery::delivered)
                                    .count()
                            == signed);
            String badSignature = "relax_events_api_requests_total{result=\"bad_signature\"}";
            await().atMost(WAIT)
                    .until(() ->
                            relax.metrics().count(badSignature) - before.count(badSignature) >= threads * perThread);
            assertThat(relax.events())
                    .extracting(WireEvent::text)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, signed)
                            .mapToObj(i -> "signed " + i)
                            .toList());
            List<EventDelivery> deliveries = app.callbacks(slack);
            MetricsPage after = relax.metrics();
            // Every unsigned request refused as such, before its body was read; nothing else refused or parsed.
            assertThat(delta(before, after, "bad_signature")).isEqualTo(threads * perThread);
            assertThat(delta(before, after, "malformed")).isZero();
            assertThat(delta(before, after, "too_large")).isZero();
            assertThat(delta(before, after, "unknown_app")).isZero();
            // Each answer Slack got is counted once: 200s as ok, 503s (busy or unavailable) retried.
            assertThat(delta(before, after, "ok"))
                    .isEqualTo(
                            deliveries.stream().filter(d -> d.status() == 200).count());
            assertThat(delta(before, after, "busy") + delta(before, after, "unavailable"))
                    .isEqualTo(
                            deliveries.stream().filter(d -> d.status() == 503).count());
            assertThat(deliveries).allSatisfy(d -> assertThat(d.status()).isIn(200, 503));
        }
    }

    @Test
    void aBodyThatDoesNotArriveWithinThreeSecondsLosesItsConnectionAndItsPlace(
            SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (TestBroker relax = TestBroker.builder(slack, redis)
                        .options(o -> o.httpMaxInFlight(1))
                        .start();
                Socket socket = new Socket(
                        InetAddress.getLoopbackAddress(), relax.broker().httpPort())) {
            socket.setSoTimeout(20_000);
            String now = Long.toString(System.currentTimeMillis() / 1000);
            // Headers that pass every check without the body, then half a body, then nothing.
            socket.getOutputStream()
                    .write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slack-Request-Timestamp: " + now
                                    + "\r\nX-Slack-Signature: v0=" + "0".repeat(64)
                                    + "\r\nContent-Length: 100\r\n\r\n{\"api_app_id\":\"A1\",")
                            .getBytes(StandardCharsets.US_ASCII));

            // While it waits, it holds the room its declared 100 bytes take, and no place in flight.
            await().atMost(WAIT).until(() -> {
                MetricsPage m = relax.metrics();
                return m.count("relax_events_api_requests_receiving") == 1
                        && m.count("relax_events_api_body_bytes") == 100;
            });
            assertThat(relax.metrics().count("relax_events_api_requests_in_flight"))
                    .isZero();

            int read;
            try {
                read = socket.getInputStream().read();
            } catch (SocketException reset) {
                read = -1;
            }

            assertThat(read)
                    .as("the broker closed the connection without an answer")
                    .isEqualTo(-1);
            // The connection closes as the deadline passes; the handler counts it and frees its bytes right after.
            await().atMost(WAIT).until(() -> {
                MetricsPage m = relax.metrics();
                return m.count("relax_events_api_requests_receiving") == 0
                        && m.count("relax_events_api_body_bytes") == 0
                        && m.count("relax_events_api_requests_total{result=\"body_timeout\"}") == 1;
            });
            // Its place is free again: the next request is read and refused on its merits, not as busy.
            String body = "{\"type\":\"event_callback\"}";
            HttpResponse<String> next = HTTP.send(
                    HttpRequest.newBuilder(url(relax, "/slack/events/ANOBODY"))
                            .header("X-Slack-Request-Timestamp", now)
                            .header("X-Slack-Signature", "v0=" + "0".repeat(64))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(next.statusCode()).isEqualTo(401);
            assertThat(next.body()).isEqualTo("unknown_app");
        }
    }

    /**
     * The reviewer's scenario: connections that send headers which pass every check (any {@code v0=} and 64
     * hex digits, the current time) and a {@code Content-Length}, and then nothing, more of them than the
     * requests in flight. Slack's correctly signed request must still be answered at once, and the silent
     * ones lose their connections at the body deadline, each counted once as such and as nothing else.
     */
    @Test
    void silentConnectionsWithValidLookingHeadersDoNotLockOutSlacksRequests(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        int maxInFlight = 4;
        int silent = 2 * maxInFlight;
        try (TestBroker relax = TestBroker.builder(slack, redis)
                .options(o -> o.httpMaxInFlight(maxInFlight))
                .start()) {
            EventsApiApp app = EventsApiApp.register(slack, relax, "ASILENT", "silent-secret", "TSILENT");
            app.pointAt(relax, WAIT);
            MetricsPage before = relax.metrics();
            String now = Long.toString(System.currentTimeMillis() / 1000);
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < silent; i++) {
                    Socket socket = new Socket(
                            InetAddress.getLoopbackAddress(), relax.broker().httpPort());
                    sockets.add(socket);
                    socket.setSoTimeout(20_000);
                    socket.getOutputStream()
                            .write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slack-Request-Timestamp: "
                                            + now + "\r\nX-Slack-Signature: v0=" + "0".repeat(64)
                                            + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                }
                // Every silent request has reached the handler: it is waiting for its body (or, were the
                // places taken before the body, holding a place or refused as busy).
                await().atMost(WAIT).until(() -> {
                    MetricsPage m = relax.metrics();
                    return delta(before, m, "busy")
                                    + m.count("relax_events_api_requests_in_flight")
                                    + (long) m.find("relax_events_api_requests_receiving")
                                            .orElse(0)
                            == silent;
                });

                app.ws().as(app.alice()).post(app.general(), "heard through the silence");

                await().atMost(WAIT).until(() -> !app.callbacks(slack).isEmpty());
                assertThat(app.callbacks(slack).getFirst().status())
                        .as("Slack's first delivery, while the silent connections are open")
                        .isEqualTo(200);
                assertThat(delta(before, relax.metrics(), "body_timeout"))
                        .as("the silent connections were still open when Slack's request was answered")
                        .isZero();
                await().atMost(WAIT).until(() -> relax.events().size() == 1);
                assertThat(relax.events()).extracting(WireEvent::text).containsExactly("heard through the silence");

                // At the body deadline each silent connection is closed without an answer.
                for (Socket socket : sockets) {
                    int read;
                    try {
                        read = socket.getInputStream().read();
                    } catch (SocketException reset) {
                        read = -1;
                    }
                    assertThat(read).isEqualTo(-1);
                }
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
            await().atMost(WAIT).until(() -> delta(before, relax.metrics(), "body_timeout") == silent);
            MetricsPage after = relax.metrics();
            assertThat(delta(before, after, "ok")).isEqualTo(1);
            assertThat(delta(before, after, "busy")).isZero();
            assertThat(delta(before, after, "bad_signature")).isZero();
            assertThat(delta(before, after, "malformed")).isZero();
            assertThat(after.count("relax_events_api_requests_in_flight")).isZero();
            assertThat(after.count("relax_events_api_requests_receiving")).isZero();
            assertThat(after.count("relax_events_api_body_bytes")).isZero();
            assertThat(app.callbacks(slack)).extracting(EventDelivery::status).containsExactly(200);
        }
    }

    @Test
    void listensOnlyOnTheConfiguredAddress(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        assumeThat(bindable("127.0.0.2"))
                .as("127.0.0.2 is a loopback address here (Linux: all of 127/8)")
                .isTrue();
        try (TestBroker relax = TestBroker.builder(slack, redis)
                .options(o -> o.httpHost("127.0.0.2"))
                .start()) {
            int port = relax.broker().httpPort();

            HttpResponse<String> alive = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + port + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(alive.statusCode()).isEqualTo(200);
            assertThat(alive.body()).isEqualTo("relax alive");
            assertThatThrownBy(() -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                        }
                    })
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void theNotFoundPageEscapesThePathItEchoes(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            HttpResponse<String> page = get(relax, "/x%0Ay%1B%5B31m");

            assertThat(page.statusCode()).isEqualTo(404);
            assertThat(page.body()).isEqualTo("not found: /x\\ny\\u001b[31m");
        }
    }

    @Test
    void aLineFeedInThePathForgesNoLogLine(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        Logger handlerLog = (Logger) LoggerFactory.getLogger("dev.relax.broker.internal.http.SlackEventsHandler");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        handlerLog.addAppender(lines);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(url(relax, "/slack/events/A1%0D%0A2026-01-01T00:00:00Z%20ERROR%20forged"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(401);
            List<String> forged = lines.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.contains("forged"))
                    .toList();
            assertThat(forged).hasSize(1);
            assertThat(forged.getFirst())
                    .doesNotContain("\n", "\r")
                    .contains("app=A1\\r\\n2026-01-01T00:00:00Z ERROR forged ");
        } finally {
            handlerLog.detachAppender(lines);
        }
    }

    @Test
    void aHeadRequestIsRefusedWithoutAJdkWarningPerRequest(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        java.util.logging.Logger jdkServerLog = java.util.logging.Logger.getLogger("com.sun.net.httpserver");
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jdkServerLog.addHandler(recorder);
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(url(relax, "/slack/events"))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(405);
            assertThat(answer.headers().firstValue("Allow")).hasValue("POST");
            assertThat(warnings).extracting(LogRecord::getMessage).isEmpty();
        } finally {
            jdkServerLog.removeHandler(recorder);
        }
    }

    /**
     * Sends one unsigned request with {@code body} on its own connection, as an attacker would, and reads
     * whatever answer comes; returns 1 once the request line and headers are out (the broker then cannot
     * miss the request), whether or not the broker, refusing, closed the connection before the body was sent.
     */
    private static int postUnsigned(int port, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                out.write(body);
                out.flush();
            } catch (IOException refusedEarly) {
                // The broker answered and closed without reading the whole body: the point of the exercise.
            }
            try {
                InputStream in = socket.getInputStream();
                in.readNBytes(12);
            } catch (IOException reset) {
                // An answer lost to the reset of a connection the broker closed with the body unread.
            }
            return 1;
        }
    }

    /** {@code [[],[],...]} of {@code size} bytes: valid JSON, an array node per three bytes once parsed. */
    private static byte[] nestedEmptyArrays(int size) {
        StringBuilder json = new StringBuilder(size).append('[');
        while (json.length() < size - 3) {
            json.append("[],");
        }
        json.append("[]");
        while (json.length() < size - 1) {
            json.append(' ');
        }
        return json.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static long delta(MetricsPage before, MetricsPage after, String result) {
        String series = "relax_events_api_requests_total{result=\"" + result + "\"}";
        return after.count(series) - before.count(series);
    }

    private static HttpResponse<String> get(TestBroker relax, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url(relax, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean bindable(String address) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
