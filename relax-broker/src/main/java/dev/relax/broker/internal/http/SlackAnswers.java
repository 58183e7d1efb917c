/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import dev.relax.core.internal.Redaction;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every request to {@code /slack/...}: its answer, its count in {@code
 * relax_events_api_requests_total}, and for a refusal or a failure its log line: at most one per result
 * per {@link SlackEventsHandler#LOG_INTERVAL}, saying how many were held back, every value from the request
 * escaped ({@link LogText}), never the secret or the signature. Thread-safe.
 */
final class SlackAnswers {
    /** Named for the handler: operators filter its lines by that logger. */
    private static final Logger log = LoggerFactory.getLogger(SlackEventsHandler.class);

    private final BrokerMetrics metrics;
    private final LogThrottle logThrottle;

    SlackAnswers(BrokerMetrics metrics, Duration logInterval, LongSupplier ticker) {
        this.metrics = metrics;
        this.logThrottle = new LogThrottle(logInterval, ticker);
        metrics.declareSlackRequestResults(RequestResult.labels());
    }

    /** {@code 200} with no body: the event is in Redis ({@code ok}), or there is none ({@code ignored}). */
    void ok(SlackRequest request, RequestResult result) throws IOException {
        metrics.slackRequest(result.label());
        respond(request.exchange, 200, "");
    }

    /** {@code 200} with {@code {"challenge":...}}: the answer to Slack's {@code url_verification}. */
    void challenge(SlackRequest request, String challenge) throws IOException {
        metrics.slackRequest(RequestResult.OK.label());
        request.exchange.getResponseHeaders().set("Content-Type", "application/json");
        respond(
                request.exchange,
                200,
                JsonNodeFactory.instance
                        .objectNode()
                        .put("challenge", challenge)
                        .toString());
    }

    /** The status of a refusal, with {@code Retry-After} on a 503 and {@code Connection: close} when the body was not read. */
    void refuse(SlackRequest request, Rejection r) throws IOException {
        metrics.slackRequest(r.result.label());
        logRefusal(request, r.status, r.result, r.getMessage());
        var headers = request.exchange.getResponseHeaders();
        if (r.status == 503) {
            // Slack retries Events API deliveries on its own schedule (at once, after 1 and 5 minutes);
            // other clients may honour this.
            headers.set("Retry-After", "1");
        }
        if (!request.bodyRead) {
            // The body stays unread: the server discards up to 64 KiB of it and closes the connection.
            headers.set("Connection", "close");
        }
        respond(request.exchange, r.status, r.status == 503 ? "unavailable, retry later" : r.result.label());
    }

    /** A request whose body did not arrive: counted and logged; no answer, the connection is dropped. */
    void abandoned(SlackRequest request, Abandoned a) {
        metrics.slackRequest(a.result.label());
        logRefusal(request, 0, a.result, a.getMessage());
    }

    /** A bug: {@code 500}, logged at ERROR (throttled like refusals). */
    void failed(SlackRequest request, RuntimeException e) throws IOException {
        metrics.slackRequest(RequestResult.ERROR.label());
        long held = logThrottle.admit(RequestResult.ERROR.label());
        if (held != LogThrottle.SUPPRESS) {
            log.error(
                    "{} from {} for app {} failed{}",
                    LogText.escape(request.exchange.getRequestURI().getRawPath()),
                    LogText.escape(request.remote()),
                    LogText.escape(request.appId),
                    held > 0 ? " (" + held + " more failures since the last such line)" : "",
                    Redaction.redacted(e));
        }
        respond(request.exchange, 500, "");
    }

    private void logRefusal(SlackRequest request, int status, RequestResult result, String reason) {
        long held = logThrottle.admit(result.label());
        if (held == LogThrottle.SUPPRESS) {
            return;
        }
        log.warn(
                "slack request refused: status={} result={} path={} remote={} app={} reason={}{}",
                status == 0 ? "none" : status,
                result.label(),
                LogText.escape(request.exchange.getRequestURI().getRawPath()),
                LogText.escape(request.remote()),
                request.appId.isEmpty() ? "(none)" : LogText.escape(request.appId),
                LogText.escape(reason),
                held > 0 ? " suppressed=" + held : "");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, bytes.length == 0 || head ? -1 : bytes.length);
        if (bytes.length > 0 && !head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
