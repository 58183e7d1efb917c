package dev.relax.broker.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.apps.AppDirectory;
import dev.relax.broker.internal.apps.AppEventTranslator;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.slack.RtmTranslator;
import dev.relax.core.MutexMode;
import dev.relax.core.Secret;
import dev.relax.core.protocol.AppRegistration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
        AppDirectory apps = new AppDirectory(field -> null);
        apps.put(AppRegistration.eventsApi("A1", SECRET));
        var translator = new AppEventTranslator(new RtmTranslator(CLOCK, false, JSON.getFactory()), CLOCK);
        // Never started: an event offered to it is not stored, and the handler answers 503 after the timeout.
        var writer = new EventWriter(
                null, "q", "m", MutexMode.BOUNDED, Duration.ofMinutes(1), 10, 10, Duration.ZERO, metrics);
        var backend = new SlackEventsHandler.Backend(apps, translator, writer);
        return new SlackEventsHandler(
                () -> backend,
                new SlackRequestVerifier(CLOCK),
                metrics,
                new SlackEventsHandler.Limits(maxBody, maxInFlight, bodyTimeout, Duration.ofMillis(50)),
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
        SlackEventsHandler handler = handler(64 << 10, 1, Duration.ofMinutes(1));
        String body = "{\"api_app_id\":\"A1\",\"type\":\"event_callback\"}";
        FakeHttpExchange slow = new FakeHttpExchange(
                        "POST", "/slack/events", body.getBytes(StandardCharsets.UTF_8), true)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", WELL_FORMED_BUT_WRONG);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try {
                handler.handle(slow);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        slow.awaitBodyHeld();
        assertThat(metrics.render()).contains("relax_events_api_requests_in_flight 1\n");

        FakeHttpExchange turnedAway = post("/slack/events", body)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", sign(FRESH, body));
        handler.handle(turnedAway);

        assertThat(turnedAway.status()).isEqualTo(503);
        assertThat(turnedAway.getResponseHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(turnedAway.bodyBytesRead()).isZero();
        assertThat(metrics.slackRequests("busy")).isEqualTo(1);

        slow.releaseBody();
        first.get();
        assertThat(slow.status()).isEqualTo(401);
        FakeHttpExchange next = post("/slack/events", body)
                .header("X-Slack-Request-Timestamp", FRESH)
                .header("X-Slack-Signature", WELL_FORMED_BUT_WRONG);
        handler.handle(next);
        assertThat(next.status()).isEqualTo(401);
        assertThat(metrics.slackRequests("busy")).isEqualTo(1);
        assertThat(metrics.slackRequests("bad_signature")).isEqualTo(2);
        assertThat(metrics.render()).contains("relax_events_api_requests_in_flight 0\n");
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
}
