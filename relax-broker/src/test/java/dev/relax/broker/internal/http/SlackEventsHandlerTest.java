/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.apps.AppDirectory;
import dev.relax.broker.internal.apps.AppEventTranslator;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.slack.RtmTranslator;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.core.MutexMode;
import dev.relax.core.Secret;
import dev.relax.core.protocol.AppRegistration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link SlackEventsHandler} on in-memory exchanges: the order of its checks (what it refuses without
 * reading the body), its cap on requests in flight, its body deadline, and its log lines.
 */
class SlackEventsHandlerTest {
    private static final long NOW = 1_700_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final String SECRET = "secret-of-A1";
    private static final String FRESH = Long.toString(NOW);
    private static final String WELL_FORMED_BUT_WRONG = "v0=" + "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BrokerMetrics metrics = new BrokerMetrics();
    private final AtomicLong ticker = new AtomicLong();
    private ScheduledExecutorService timers;
    private ListAppender<ILoggingEvent> logs;
    private Logger handlerLog;
    private volatile boolean translatorBroken;

    @BeforeEach
    void setUp() {
        timers = Executors.newSingleThreadScheduledExecutor();
        handlerLog = (Logger) LoggerFactory.getLogger(SlackEventsHandler.class);
        logs = new ListAppender<>();
        logs.start();
        handlerLog.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        handlerLog.detachAppender(logs);
        timers.shutdownNow();
    }

    private SlackEventsHandler handler(int maxBody, int maxInFlight, Duration bodyTimeout) {
        return handler(maxBody, maxInFlight, bodyTimeout, Duration.ofMillis(50));
    }

    private SlackEventsHandler handler(int maxBody, int maxInFlight, Duration bodyTimeout, Duration storeTimeout) {
        AppDirectory apps = new AppDirectory(field -> null);
        apps.put(AppRegistration.eventsApi("A1", SECRET));
        var translator = new AppEventTranslator(new RtmTranslator(CLOCK, false, JSON.getFactory()), CLOCK);
        // Never started: an event offered to it is not stored, and the handler answers 503 after the timeout.
        var writer = new EventWriter(
                null,
                "q",
                "m",
                MutexMode.BOUNDED,
                Duration.ofMinutes(1),
                10,
                10,
                Duration.ZERO,
                metrics,
                BrokerTracing.noop());
        var backend = new SlackEventsHandler.Backend(apps, translator, writer, BrokerTracing.noop());
        // Without a translator, translating a verified event throws: a bug, as the handler sees it.
        var broken = new SlackEventsHandler.Backend(apps, null, writer, BrokerTracing.noop());
        return new SlackEventsHandler(
                () -> translatorBroken ? broken : backend,
                new SlackRequestVerifier(CLOCK),
                metrics,
                new SlackEventsHandler.Limits(maxBody, maxInFlight, bodyTimeout, storeTimeout),
                timers,
                ticker::get);
    }

    private SlackEventsHandler handler() {
        return handler(64 << 10, 4, Duration.ofMinutes(1));
    }

    private static FakeHttpExchange post(String path, String body) {
        return new FakeHttpExchange("POST", path, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(String timestamp, String body) {
        return SlackRequestVerifier.sign(Secret.of(SECRET), timestamp, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesARequestWithoutBothWellFormedSignatureHeadersBeforeReadingItsBody() throws IOException {
        SlackEventsHandler handler = handler();
        String body = "[" + "[],".repeat(10_000) + "[]]";
        List<FakeHttpExchange> requests = List.of(
                post("/slack/events", body),
                post("/slack/events", body).header("X-Slack-Signature", sign(FRESH, body)),
                post("/slack/events", body).header("X-Slack-Request-Timestamp", FRESH),
                post("/slack/events", body)
                        .header("X-Slack-Request-Timestamp", FRESH)
                        .header("X-Slack-Signature", "v0=not-hex"),
                post("/slack/events", body)
                        .header("X-Slack-Request-Timestamp", "yesterday")
                        .header("X-Slack-Signature", sign(FRESH, body)));

        for (FakeHttpExchange request : requests) {
            handler.handle(request);
        }

        assertThat(requests).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.bodyBytesRead()).isZero();
            assertThat(r.getResponseHeaders().getFirst("Connection")).isEqualTo("close");
            assertThat(r.closed()).isTrue();
        });
        assertThat(metrics.slackRequests("bad_signature")).isEqualTo(5);
        assertThat(metrics.slackRequests("malformed")).isZero();
    }

    @Test
    void refusesATimestampOutsideSlacksFiveMinutesBeforeReadingTheBody() throws IOException {
        String old = Long.toString(NOW - 301);
        FakeHttpExchange request = post("/slack/events/A1", "{}")
                .header("X-Slack-Request-Timestamp", old)
                .header("X-Slack-Signature", sign(old, "{}"));

        handler().handle(request);

        assertThat(request.status()).isEqualTo(401);
        assertThat(request.bodyBytesRead()).isZero();
        assertThat(metrics.slackRequests("stale")).isEqualTo(1);
    }

    @Test
    void refusesADeclaredLengthOverTheLimitWithoutReadingIt() throws IOException {
        String body = "{\"api_app_id\":\"A1\",\"x\":\"" + "y".repeat(2000) + "\"}";
        FakeHttpExchange request = post("/slack/events", body)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", sign(FRESH, body));

        handler(1024, 4, Duration.ofMinutes(1)).handle(request);

        assertThat(request.status()).isEqualTo(400);
        assertThat(request.responseBody()).isEqualTo("too_large");
        assertThat(request.bodyBytesRead()).isZero();
        assertThat(metrics.slackRequests("too_large")).isEqualTo(1);
    }

    @Test
    void aForgedSignatureOnABodyThatNamesNoAppIsRefusedWithoutTryingEverySecret() throws IOException {
        String body = "{\"type\":\"event_callback\",\"event\":{\"text\":\"" + "y".repeat(8000) + "\"}}";
        FakeHttpExchange request = post("/slack/events", body)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", WELL_FORMED_BUT_WRONG);

        handler().handle(request);

        assertThat(request.status()).isEqualTo(401);
        assertThat(metrics.slackRequests("unknown_app")).isEqualTo(1);
    }

    @Test
    void answersUrlVerificationOfTheAppWhoseSecretSignedIt() throws IOException {
        String body = "{\"token\":\"t\",\"challenge\":\"c-123\",\"type\":\"url_verification\"}";
        FakeHttpExchange request = post("/slack/events", body)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", sign(FRESH, body));

        handler().handle(request);

        assertThat(request.status()).isEqualTo(200);
        assertThat(request.responseBody()).isEqualTo("{\"challenge\":\"c-123\"}");
    }

    @Test
    void answersBusyWithRetryAfterPastTheRequestsInFlightAndServesAgainOnceOneEnds() throws Exception {
        SlackEventsHandler handler = handler(64 << 10, 1, Duration.ofMinutes(1), Duration.ofMinutes(1));
        // Signed and stored: it waits for Redis (a writer never started), holding its place, until interrupted.
        String event = message("held in flight", 0);
        FakeHttpExchange waiting = post("/slack/events", event)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", sign(FRESH, event));
        Thread first = Thread.ofVirtual().start(() -> handleQuietly(handler, waiting));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> metrics.render().contains("relax_events_api_requests_in_flight 1.0\n"));

        String body = "{\"api_app_id\":\"A1\",\"type\":\"event_callback\"}";
        FakeHttpExchange turnedAway = post("/slack/events", body)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", sign(FRESH, body));
        handler.handle(turnedAway);

        assertThat(turnedAway.status()).isEqualTo(503);
        assertThat(turnedAway.getResponseHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(turnedAway.bodyBytesRead()).as("counted once its body is in").isEqualTo(body.length());
        assertThat(turnedAway.getResponseHeaders().getFirst("Connection")).isNull();
        assertThat(metrics.slackRequests("busy")).isEqualTo(1);

        first.interrupt();
        first.join();
        assertThat(waiting.status()).isEqualTo(503);
        assertThat(metrics.slackRequests("unavailable")).isEqualTo(1);
        FakeHttpExchange next = post("/slack/events", body)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", WELL_FORMED_BUT_WRONG);
        handler.handle(next);
        assertThat(next.status()).isEqualTo(401);
        assertThat(metrics.slackRequests("busy")).isEqualTo(1);
        assertThat(metrics.slackRequests("bad_signature")).isEqualTo(1);
        assertThat(metrics.render())
                .contains("relax_events_api_requests_in_flight 0.0\n")
                .contains("relax_events_api_body_bytes 0.0\n");
    }

    @Test
    void requestsWhoseBodiesHaveNotArrivedHoldNoPlaceAmongTheRequestsInFlight() throws Exception {
        SlackEventsHandler handler = handler(64 << 10, 1, Duration.ofMinutes(1));
        List<FakeHttpExchange> silent = List.of(held("{\"api_app_id\":\"A1\"}"), held("{\"api_app_id\":\"A1\"}"));
        List<Thread> readers = silent.stream()
                .map(r -> Thread.ofVirtual().start(() -> handleQuietly(handler, r)))
                .toList();
        for (FakeHttpExchange r : silent) {
            r.awaitBodyHeld();
        }
        assertThat(metrics.render())
                .contains("relax_events_api_requests_in_flight 0.0\n")
                .contains("relax_events_api_requests_receiving 2.0\n");

        String body = message("through", 0);
        FakeHttpExchange signed = post("/slack/events", body)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", sign(FRESH, body));
        handler.handle(signed);

        // Verified, translated and offered: 503 only because this test's writer never stores.
        assertThat(signed.status()).isEqualTo(503);
        assertThat(metrics.slackRequests("unavailable")).isEqualTo(1);
        assertThat(metrics.slackRequests("busy")).isZero();

        // One at a time: two bodies complete at once would contend for the one place.
        for (int i = 0; i < silent.size(); i++) {
            silent.get(i).releaseBody();
            readers.get(i).join();
        }
        assertThat(silent).extracting(FakeHttpExchange::status).containsExactly(401, 401);
        assertThat(metrics.render())
                .contains("relax_events_api_requests_receiving 0.0\n")
                .contains("relax_events_api_body_bytes 0.0\n");
    }

    @Test
    void refusesAsBusyARequestWhoseBodyOutgrowsWhatIsLeftOfTheBodyBudget() throws Exception {
        // A budget of 64 KiB: one body of the largest size.
        SlackEventsHandler handler = handler(64 << 10, 1, Duration.ofMinutes(1));
        FakeHttpExchange large = held(padded(40 << 10));
        Thread reader = Thread.ofVirtual().start(() -> handleQuietly(handler, large));
        large.awaitBodyHeld();
        // Its buffer grew as its bytes came: 4, 8, 16, 32 KiB, then its length.
        assertThat(metrics.render()).contains("relax_events_api_body_bytes " + (40 << 10) + ".0\n");

        // 24 KiB left: its first 16 KiB fit, the growth to its 30 KiB does not.
        String tooMuch = padded(30 << 10);
        FakeHttpExchange refused = post("/slack/events/A1", tooMuch)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", WELL_FORMED_BUT_WRONG);
        handler.handle(refused);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.responseBody()).isEqualTo("unavailable, retry later");
        assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(refused.getResponseHeaders().getFirst("Connection")).isEqualTo("close");
        assertThat(refused.bodyBytesRead()).isEqualTo((16 << 10) + 1);
        assertThat(metrics.slackRequests("busy")).isEqualTo(1);
        assertThat(metrics.render()).contains("relax_events_api_body_bytes " + (40 << 10) + ".0\n");

        // A body that fits what is left is read and judged on its merits.
        String small = padded(8 << 10);
        FakeHttpExchange fits = post("/slack/events/A1", small)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", WELL_FORMED_BUT_WRONG);
        handler.handle(fits);
        assertThat(fits.status()).isEqualTo(401);
        assertThat(fits.bodyBytesRead()).isEqualTo(8 << 10);

        large.releaseBody();
        reader.join();
        assertThat(large.status()).isEqualTo(401);
        assertThat(metrics.render()).contains("relax_events_api_body_bytes 0.0\n");
        assertThat(metrics.slackRequests("busy")).isEqualTo(1);
        assertThat(metrics.slackRequests("bad_signature")).isEqualTo(2);
    }

    @Test
    void theBodyBudgetComesBackHoweverARequestEnds() throws Exception {
        int max = 8 << 10;
        // A budget of one largest body: any byte not given back would refuse the next request as busy.
        // (The body deadline: dropsARequestWhoseBodyDoesNotArriveInTimeAndFreesItsPlace.)
        SlackEventsHandler handler = handler(max, 1, Duration.ofMinutes(1));
        String whole = padded(max);
        List<String> endings = new ArrayList<>();

        // Stored (here: 503 after the store timeout, the writer never runs), ignored, and bad signature.
        String event = message("x".repeat(max - message("", 0).length()), 0);
        handler.handle(signed("/slack/events", event));
        endings.add("unavailable " + budgetAfter());
        String rateLimited = "{\"api_app_id\":\"A1\",\"type\":\"app_rate_limited\"";
        String ignored = rateLimited + " ".repeat(max - rateLimited.length() - 1) + "}";
        handler.handle(signed("/slack/events", ignored));
        endings.add("ignored " + budgetAfter());
        handler.handle(post("/slack/events/A1", whole)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", WELL_FORMED_BUT_WRONG));
        endings.add("bad_signature " + budgetAfter());
        // Not JSON once verified.
        String junk = "x".repeat(max);
        handler.handle(signed("/slack/events/A1", junk));
        endings.add("malformed " + budgetAfter());
        // No Content-Length, and more than the limit: read up to it, then refused.
        handler.handle(signed("/slack/events/A1", whole + " ").header("Content-Length", null));
        endings.add("too_large " + budgetAfter());
        // Cut short: the connection ends before the declared length.
        FakeHttpExchange cut =
                signed("/slack/events/A1", whole.substring(0, max / 2)).header("Content-Length", "" + max);
        assertThatThrownBy(() -> handler.handle(cut)).isInstanceOf(IOException.class);
        endings.add("cut short " + budgetAfter());
        // Refused as busy in the middle of its body, while another holds the budget.
        FakeHttpExchange holder = held(whole);
        Thread reader = Thread.ofVirtual().start(() -> handleQuietly(handler, holder));
        holder.awaitBodyHeld();
        FakeHttpExchange turnedAway = signed("/slack/events/A1", whole);
        handler.handle(turnedAway);
        assertThat(turnedAway.status()).isEqualTo(503);
        holder.releaseBody();
        reader.join();
        endings.add("busy " + budgetAfter());
        // A bug after the body was read: 500.
        translatorBroken = true;
        FakeHttpExchange failing = signed("/slack/events", event);
        handler.handle(failing);
        translatorBroken = false;
        assertThat(failing.status()).isEqualTo(500);
        endings.add("error " + budgetAfter());

        assertThat(endings)
                .containsExactly(
                        "unavailable 0",
                        "ignored 0",
                        "bad_signature 0",
                        "malformed 0",
                        "too_large 0",
                        "cut short 0",
                        "busy 0",
                        "error 0");
        assertThat(metrics.slackRequests("busy")).isEqualTo(1);
        assertThat(metrics.slackRequests("too_large")).isEqualTo(1);
        // And the whole budget serves a largest body again.
        FakeHttpExchange last = signed("/slack/events/A1", whole);
        handler.handle(last);
        assertThat(last.bodyBytesRead()).isEqualTo(max);
        assertThat(last.status())
                .as("an event_callback without an event: ignored")
                .isEqualTo(200);
    }

    @Test
    void dropsARequestWhoseBodyDoesNotArriveInTimeAndFreesItsPlace() throws Exception {
        SlackEventsHandler handler = handler(64 << 10, 1, Duration.ofMillis(100));
        FakeHttpExchange stalled = new FakeHttpExchange("POST", "/slack/events/A1", "{\"a\":1}".getBytes(), true)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", WELL_FORMED_BUT_WRONG);

        assertThatThrownBy(() -> handler.handle(stalled))
                .isInstanceOf(IOException.class)
                .hasMessage("body not received within 100 ms");

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(stalled.status())
                .as("no answer on a connection being dropped")
                .isEqualTo(-1);
        assertThat(metrics.slackRequests("body_timeout")).isEqualTo(1);
        assertThat(metrics.render())
                .contains("relax_events_api_requests_receiving 0.0\n")
                .contains("relax_events_api_body_bytes 0.0\n");
        FakeHttpExchange next = post("/slack/events/A1", "{}")
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", WELL_FORMED_BUT_WRONG);
        handler.handle(next);
        assertThat(next.status()).isEqualTo(401);
    }

    @Test
    void escapesWhatCameFromTheRequestSoThatALineFeedForgesNoLogLine() throws IOException {
        FakeHttpExchange request = post("/slack/events/A%0A2026-01-01T00:00:00Z%20ERROR%20forged%1B%5B2J", "{}");

        handler().handle(request);

        assertThat(logs.list).hasSize(1);
        String line = logs.list.getFirst().getFormattedMessage();
        assertThat(line).doesNotContain("\n", "\r", "\u001b");
        assertThat(line)
                .isEqualTo("slack request refused: status=401 result=bad_signature"
                        + " path=/slack/events/A%0A2026-01-01T00:00:00Z%20ERROR%20forged%1B%5B2J"
                        + " remote=192.0.2.7:51234 app=A\\n2026-01-01T00:00:00Z ERROR forged\\u001b[2J"
                        + " reason=no X-Slack-Signature");
    }

    @Test
    void logsOneRefusalLinePerResultPerIntervalAndSaysHowManyItHeldBack() throws IOException {
        SlackEventsHandler handler = handler();
        for (int i = 0; i < 5; i++) {
            handler.handle(post("/slack/events", "{}"));
        }
        String old = Long.toString(NOW - 600);
        for (int i = 0; i < 2; i++) {
            handler.handle(post("/slack/events", "{}")
                    .header("X-Slack-Request-Timestamp", old)
                    .header("X-Slack-Signature", WELL_FORMED_BUT_WRONG));
        }
        ticker.addAndGet(SlackEventsHandler.LOG_INTERVAL.toNanos());
        handler.handle(post("/slack/events", "{}"));

        assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.WARN);
        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .extracting(line -> line.replaceAll(" reason=.*?( suppressed=\\d+)?$", "$1"))
                .containsExactly(
                        "slack request refused: status=401 result=bad_signature path=/slack/events"
                                + " remote=192.0.2.7:51234 app=(none)",
                        "slack request refused: status=401 result=stale path=/slack/events"
                                + " remote=192.0.2.7:51234 app=(none)",
                        "slack request refused: status=401 result=bad_signature path=/slack/events"
                                + " remote=192.0.2.7:51234 app=(none) suppressed=4");
        assertThat(metrics.slackRequests("bad_signature")).isEqualTo(6);
        assertThat(metrics.slackRequests("stale")).isEqualTo(2);
    }

    /** A body of {@code size} bytes naming app A1: a JSON object padded with spaces. */
    private static String padded(int size) {
        String start = "{\"api_app_id\":\"A1\",\"type\":\"event_callback\"";
        return start + " ".repeat(size - start.length() - 1) + "}";
    }

    /** A signed-looking request whose body is held before its last byte until released. */
    private static FakeHttpExchange held(String body) {
        return new FakeHttpExchange("POST", "/slack/events/A1", body.getBytes(StandardCharsets.UTF_8), true)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", WELL_FORMED_BUT_WRONG);
    }

    private static FakeHttpExchange signed(String path, String body) {
        return post(path, body)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", sign(FRESH, body));
    }

    /** An {@code event_callback} of app A1 with a message event, {@code pad} spaces before its end. */
    private static String message(String text, int pad) {
        return "{\"api_app_id\":\"A1\",\"team_id\":\"T1\",\"type\":\"event_callback\",\"event_id\":\"Ev1\","
                + "\"event\":{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"" + text
                + "\",\"ts\":\"1.1\"}" + " ".repeat(pad) + "}";
    }

    /** Bytes of the body budget held now, once the request just handled has ended. */
    private long budgetAfter() {
        return metrics.render()
                .lines()
                .filter(l -> l.startsWith("relax_events_api_body_bytes "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                .findFirst()
                .orElse(-1);
    }

    private static void handleQuietly(SlackEventsHandler handler, FakeHttpExchange exchange) {
        try {
            handler.handle(exchange);
        } catch (IOException e) {
            // Counted and asserted by the test: a dropped connection.
        }
    }
}
