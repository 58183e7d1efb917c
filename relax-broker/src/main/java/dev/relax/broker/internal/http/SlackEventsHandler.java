/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static dev.relax.broker.internal.slack.SlackJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.relax.broker.internal.apps.AppDirectory;
import dev.relax.broker.internal.apps.AppEvent;
import dev.relax.broker.internal.apps.AppEventTranslator;
import dev.relax.broker.internal.apps.EnvelopeKind;
import dev.relax.broker.internal.oauth.Uninstalls;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.slack.Arrival;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.core.protocol.AppRegistration;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Slack posts to the broker for apps that use HTTP instead of Socket Mode, under {@code /slack/}:
 *
 * <ul>
 *   <li>{@code POST /slack/events}: the Events API (https://api.slack.com/apis/events-api), JSON;
 *       {@code url_verification} is answered with its challenge, {@code event_callback} translated;
 *   <li>{@code POST /slack/commands}: slash commands, a form (https://api.slack.com/interactivity/slash-commands);
 *   <li>{@code POST /slack/interactive}: interactions, a form whose {@code payload} field holds JSON.
 * </ul>
 *
 * Each may end in {@code /<app id>}; otherwise the app is the request's {@code api_app_id}, or, for a
 * request that names none ({@code url_verification}), the app whose signing secret signed it. Every request
 * is verified with that app's signing secret before anything is acted on, and an event is answered
 * {@code 200} only once it is in Redis, so that Slack retries (and the retry is deduplicated) whatever
 * the broker could not store within the store timeout. Nothing that fails a check reaches Redis. A verified
 * payload Relax cannot translate is written raw, as a {@code slack_event}, and answered {@code 200}, as
 * Socket Mode acknowledges such an envelope: a retry would fail the same way.
 *
 * <p>Anyone can post here, so the checks run cheapest first and a refused request costs about what reading
 * it costs: path and method; both signature headers, well formed, with a timestamp within Slack's five
 * minutes (https://api.slack.com/authentication/verifying-requests-from-slack), before a byte of the body
 * is read; a {@code Content-Length} over the limit; then at most the limit is read, within
 * {@link Limits#bodyTimeout}, its bytes paid for as they arrive from a budget shared by all requests
 * ({@link Limits#bodyBudget}, {@link BodyBuffer}; past it {@code 503} {@code busy}); once the body is in, a
 * place among the requests in flight (past {@link Limits#maxInFlight} the answer is {@code 503}
 * {@code busy}); only the {@code api_app_id} is looked for ({@link AppIdReader}, no tree) to pick the
 * secret; the signature is checked; and only then is the body parsed. A client that sends valid-looking
 * headers and then nothing thus holds only its connection, until the body deadline drops it: neither bytes
 * of the budget nor a place in flight, so that it cannot crowd out Slack's requests (a client that sends
 * part of a body holds what it sent, at most twice). The body of a request refused before it was read is
 * left to the JDK's server, which discards up to 64 KiB of it ({@code sun.net.httpserver.drainAmount}) and
 * then closes the connection; such answers say {@code Connection: close}. Refusals are logged at WARN, at
 * most one line per result per {@link #LOG_INTERVAL}, every value from the request escaped
 * ({@link LogText}).
 *
 * <p>One request runs top to bottom through one class per step: {@link SlackRoute} (path and method),
 * {@link RequestAdmission} (headers, length, body, place in flight), {@link RequestVerification} (the app
 * and its signature), {@link PayloadParser}, {@link dev.relax.broker.internal.apps.AppEventTranslator#translate}
 * (the same entry Socket Mode uses), {@link EventWrite} and {@link SlackAnswers}.
 *
 * <p>Runs on the HTTP server's threads (one virtual thread per request); its state is in the steps, all
 * thread-safe.
 */
public final class SlackEventsHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(SlackEventsHandler.class);

    /** The path this handler serves, registered as an HTTP context. */
    public static final String CONTEXT = "/slack/";
    /** At most one WARN line per refusal result in this time; the next one says how many were not logged. */
    public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    /** What the handler needs from a broker that is connected to Redis. */
    public record Backend(
            AppDirectory apps, AppEventTranslator translator, EventWriter writer, BrokerTracing tracing) {}

    /**
     * How much the handler takes on.
     *
     * @param maxBody larger bodies are refused ({@code too_large}); by their {@code Content-Length}, unread
     * @param maxInFlight requests handled at once once their body is in (checked, parsed, stored); more are
     *     answered {@code 503} ({@code busy}). Also sizes the budget of body bytes, {@link #bodyBudget()}
     * @param bodyTimeout time to receive a body once its headers are in; Slack gives up on an answer after
     *     3 s, so a body still arriving after that is no request of Slack's
     * @param storeTimeout time to wait for an event to be in Redis before answering {@code 503}; Slack wants
     *     an answer within 3 s, and this leaves room for the network
     */
    public record Limits(int maxBody, int maxInFlight, Duration bodyTimeout, Duration storeTimeout) {
        public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(3);
        public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofMillis(2500);

        public Limits {
            if (maxBody < 1 || maxInFlight < 1) {
                throw new IllegalArgumentException(
                        "maxBody and maxInFlight must be positive, were " + maxBody + " and " + maxInFlight);
            }
            if (bodyTimeout.toMillis() < 1 || storeTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("timeouts must be at least 1 ms");
            }
        }

        /**
         * Bytes of bodies held at once, being received or handled: room for {@code maxInFlight} bodies of the
         * largest size (at most {@link Integer#MAX_VALUE}). Bodies take it as their bytes arrive; a body that
         * finds none left is refused ({@code busy}).
         */
        public int bodyBudget() {
            return (int) Math.min(Integer.MAX_VALUE, (long) maxBody * maxInFlight);
        }

        /** The default timeouts with these two limits, as the broker's options set them. */
        public static Limits of(int maxBody, int maxInFlight) {
            return new Limits(maxBody, maxInFlight, DEFAULT_BODY_TIMEOUT, DEFAULT_STORE_TIMEOUT);
        }
    }

    private final Supplier<Backend> backend;
    private final BrokerMetrics metrics;
    private final RequestAdmission admission;
    private final RequestVerification verification;
    private final PayloadParser parser;
    private final EventWrite write;
    private final SlackAnswers answers;

    /**
     * @param backend the broker's apps, translator and writer; null until Redis is connected (answered 503)
     * @param timers runs the body deadlines (one task per request, cancelled once the body is in); the
     *     caller owns and closes it
     */
    public SlackEventsHandler(
            Supplier<Backend> backend,
            SlackRequestVerifier verifier,
            BrokerMetrics metrics,
            Limits limits,
            ScheduledExecutorService timers) {
        this(backend, verifier, metrics, limits, timers, System::nanoTime);
    }

    /** As above, with the ticker of the log throttle. */
    SlackEventsHandler(
            Supplier<Backend> backend,
            SlackRequestVerifier verifier,
            BrokerMetrics metrics,
            Limits limits,
            ScheduledExecutorService timers,
            LongSupplier ticker) {
        ObjectMapper json = new ObjectMapper();
        this.backend = backend;
        this.metrics = metrics;
        this.answers = new SlackAnswers(metrics, LOG_INTERVAL, ticker);
        this.admission = new RequestAdmission(verifier, limits, timers, metrics);
        this.verification = new RequestVerification(verifier, json.getFactory());
        this.parser = new PayloadParser(json);
        this.write = new EventWrite(limits.storeTimeout());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Arrival arrival = Arrival.now(Arrival.Transport.EVENTS_API);
        SlackRequest request = new SlackRequest(exchange);
        try {
            SlackRoute.route(request);
            admission.checkHeaders(request);
            long declared = admission.declaredLength(request);
            Backend b = backend.get();
            if (b == null) {
                throw new Rejection(503, RequestResult.UNAVAILABLE, "not connected to Redis yet");
            }
            try (RequestAdmission.Admitted admitted = admission.admit(request, declared)) {
                traced(request, b, admitted.body(), arrival);
            }
        } catch (Rejection r) {
            answers.refuse(request, r);
        } catch (Abandoned a) {
            answers.abandoned(request, a);
            throw a;
        } catch (RuntimeException e) {
            answers.failed(request, e);
        } finally {
            exchange.close();
        }
    }

    /**
     * {@link #serve} inside the request's {@code SERVER} span ({@code POST <path>}), which the event's span
     * is a child of; only requests let in get one, so refused floods cost no spans.
     */
    private void traced(SlackRequest request, Backend b, byte[] body, Arrival arrival) throws Rejection, IOException {
        // Named after the route, not the path: an app id in the path would make a span name per app.
        String route = CONTEXT
                + switch (request.kind) {
                    case EVENTS_API -> "events";
                    case SLASH_COMMANDS -> "commands";
                    case INTERACTIVE -> "interactive";
                };
        Span span = b.tracing().request(route, arrival);
        try (Scope ignored = span.makeCurrent()) {
            serve(request, b, body, arrival);
        } catch (Rejection r) {
            // As OpenTelemetry's HTTP conventions say for a server: a 4xx is the client's error, not the span's.
            span.setAttribute(BrokerTracing.HTTP_STATUS, (long) r.status);
            if (r.status >= 500) {
                span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, r.result.label());
            }
            span.end();
            throw r;
        } catch (IOException | RuntimeException e) {
            span.setAttribute(BrokerTracing.HTTP_STATUS, 500L);
            BrokerTracing.failed(span, e);
            throw e;
        }
        span.setAttribute(BrokerTracing.HTTP_STATUS, (long) request.exchange.getResponseCode());
        span.end();
    }

    /** The steps of a request let in: verify, parse, translate, write, answer. */
    private void serve(SlackRequest request, Backend b, byte[] body, Arrival arrival) throws Rejection, IOException {
        AppRegistration app = verification.verify(request, b.apps(), body);
        JsonNode payload = parser.parse(request.kind, body);
        String retry = request.header("X-Slack-Retry-Num");
        if (retry != null) {
            metrics.slackRetries.increment();
            log.debug(
                    "Slack retry {} ({}) for app {}",
                    LogText.escape(retry),
                    LogText.escape(request.header("X-Slack-Retry-Reason")),
                    request.appId);
        }
        String type = text(payload, "type");
        if (request.kind == EnvelopeKind.EVENTS_API && type.equals("url_verification")) {
            // https://api.slack.com/events/url_verification: Slack checks the request URL with it.
            answers.challenge(request, text(payload, "challenge"));
            return;
        }
        b.apps().sawEvent(app.appId(), payload);
        // Of Events API requests only event callbacks carry events (not app_rate_limited).
        AppEvent event = request.kind == EnvelopeKind.EVENTS_API && !type.equals("event_callback")
                ? null
                : b.translator()
                        .translate(request.kind, app, payload, deliveryId(request, payload, body), b.apps()::botUserId);
        if (event == null) {
            log.debug("{} request of app {} has nothing Relax reports", request.kind, request.appId);
            answers.ok(request, RequestResult.IGNORED);
            return;
        }
        // The event's event_ts has microseconds; the envelope's event_time whole seconds only.
        arrival.slackTime(payload.path("event").path("event_ts").asText(text(payload, "event_time")));
        write.store(b.writer(), event, arrival);
        if (request.kind == EnvelopeKind.EVENTS_API) {
            // Once the disable_bot is in Redis: the installation goes (app_uninstalled, tokens_revoked).
            Uninstalls.endedBy(payload)
                    .ifPresent(place -> b.apps().uninstalled(app.appId(), place, Uninstalls.eventTime(payload)));
        }
        log.debug(
                "{} event {} of app {} stored",
                request.kind,
                event.translated().event().type(),
                request.appId);
        answers.ok(request, RequestResult.OK);
    }

    /**
     * Slack's id of this delivery: an event's {@code event_id}, which Slack's retries keep; else the signed
     * request's digest, which a resent request keeps.
     */
    private static String deliveryId(SlackRequest request, JsonNode payload, byte[] body) {
        String eventId = request.kind == EnvelopeKind.EVENTS_API ? text(payload, "event_id") : "";
        return eventId.isEmpty() ? request.digest(body) : eventId;
    }
}
