package dev.relax.broker.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.relax.broker.internal.apps.AppDirectory;
import dev.relax.broker.internal.apps.AppEvent;
import dev.relax.broker.internal.apps.AppEventTranslator;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.core.protocol.AppRegistration;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * the broker could not store within the store timeout. Nothing that fails a check reaches Redis.
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
 * <p>Runs on the HTTP server's threads (one virtual thread per request); its own state is the semaphores of
 * requests in flight and of body bytes, the count of bodies being received and the log throttle, all
 * thread-safe.
 */
public final class SlackEventsHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(SlackEventsHandler.class);

    /** The path this handler serves, registered as an HTTP context. */
    public static final String CONTEXT = "/slack/";
    /** At most one WARN line per refusal result in this time; the next one says how many were not logged. */
    public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    static final String OK = "ok";
    static final String IGNORED = "ignored";
    static final String BAD_SIGNATURE = "bad_signature";
    static final String STALE = "stale";
    static final String MALFORMED = "malformed";
    static final String TOO_LARGE = "too_large";
    static final String UNKNOWN_APP = "unknown_app";
    static final String UNAVAILABLE = "unavailable";
    static final String BUSY = "busy";
    static final String BODY_TIMEOUT = "body_timeout";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    static final String NOT_FOUND = "not_found";
    static final String ERROR = "error";

    /** What the handler needs from a broker that is connected to Redis. */
    public record Backend(AppDirectory apps, AppEventTranslator translator, EventWriter writer) {}

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

    private enum Kind {
        EVENTS,
        COMMANDS,
        INTERACTIVE
    }

    private final Supplier<Backend> backend;
    private final SlackRequestVerifier verifier;
    private final BrokerMetrics metrics;
    private final Limits limits;
    private final ScheduledExecutorService timers;
    /** Places among the requests being handled once their body is in: CPU (checks, parse) and Redis waits. */
    private final Semaphore inFlight;
    /** Bytes of request bodies the handler may hold at once, taken as they arrive ({@link BodyBuffer}). */
    private final Semaphore bodyBytes;
    /** Requests whose body is being read. */
    private final AtomicInteger receiving = new AtomicInteger();

    private final LogThrottle logThrottle;
    private final ObjectMapper json = new ObjectMapper();
    private final AppIdReader appIds = new AppIdReader(json.getFactory());

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
        this.backend = backend;
        this.verifier = verifier;
        this.metrics = metrics;
        this.limits = limits;
        this.timers = timers;
        this.inFlight = new Semaphore(limits.maxInFlight());
        this.bodyBytes = new Semaphore(limits.bodyBudget());
        this.logThrottle = new LogThrottle(LOG_INTERVAL, ticker);
        metrics.declareSlackRequestResults(
                OK,
                IGNORED,
                BAD_SIGNATURE,
                STALE,
                MALFORMED,
                TOO_LARGE,
                UNKNOWN_APP,
                UNAVAILABLE,
                BUSY,
                BODY_TIMEOUT,
                METHOD_NOT_ALLOWED,
                NOT_FOUND,
                ERROR);
        metrics.gauge("relax_events_api_requests_in_flight", () -> limits.maxInFlight() - inFlight.availablePermits());
        metrics.gauge("relax_events_api_requests_receiving", receiving::get);
        metrics.gauge("relax_events_api_body_bytes", () -> limits.bodyBudget() - bodyBytes.availablePermits());
    }

    /** The request being handled, for answers and log lines; used by its own thread only. */
    private static final class Request {
        final HttpExchange exchange;
        final String path;
        Kind kind;
        /** From the path, else from the body once read; "" until known. Unverified until the HMAC is checked. */
        String appId = "";
        /** Whether the body was read whole; if not, the answer closes the connection. */
        boolean bodyRead;

        Request(HttpExchange exchange) {
            this.exchange = exchange;
            this.path = exchange.getRequestURI().getPath();
        }
    }

    /** Ends a request early with a status and a metric result. */
    private static final class Rejection extends Exception {
        final int status;
        final String result;

        Rejection(int status, String result, String reason) {
            super(reason, null, false, false);
            this.status = status;
            this.result = result;
        }
    }

    /** Ends a request whose body did not arrive: counted and logged, not answered; the server drops the connection. */
    private static final class Abandoned extends IOException {
        final String result;

        Abandoned(String result, String reason) {
            super(reason);
            this.result = result;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Request request = new Request(exchange);
        BodyBuffer buffer = null;
        boolean admitted = false;
        try {
            route(request);
            checkHeaders(request);
            long declared = declaredLength(request);
            Backend b = backend.get();
            if (b == null) {
                throw new Rejection(503, UNAVAILABLE, "not connected to Redis yet");
            }
            // Nothing is held while the body is awaited: its bytes are paid for as they arrive, and a place
            // among the requests in flight is taken only once it is all in, so that clients that send
            // headers and then nothing (until the body deadline drops them) take nothing Slack's requests need.
            buffer = new BodyBuffer(bodyBytes, declared >= 0 ? (int) declared : limits.maxBody());
            byte[] body = readBody(request, buffer, declared);
            admitted = inFlight.tryAcquire();
            if (!admitted) {
                throw new Rejection(503, BUSY, limits.maxInFlight() + " requests in flight already");
            }
            serve(request, b, body);
        } catch (Rejection r) {
            reject(request, r);
        } catch (Abandoned a) {
            metrics.slackRequest(a.result);
            logRefusal(request, 0, a.result, a.getMessage());
            // Thrown on: the JDK's server then closes the connection and forgets it (a connection closed
            // from here only would stay in its books).
            throw a;
        } catch (RuntimeException e) {
            metrics.slackRequest(ERROR);
            long held = logThrottle.admit(ERROR);
            if (held != LogThrottle.SUPPRESS) {
                log.error(
                        "{} from {} for app {} failed{}",
                        LogText.escape(request.exchange.getRequestURI().getRawPath()),
                        LogText.escape(remote(exchange)),
                        LogText.escape(request.appId),
                        held > 0 ? " (" + held + " more failures since the last such line)" : "",
                        dev.relax.core.internal.Redaction.redacted(e));
            }
            respond(exchange, 500, "");
        } finally {
            if (admitted) {
                inFlight.release();
            }
            if (buffer != null) {
                buffer.close();
            }
            exchange.close();
        }
    }

    private static void route(Request request) throws Rejection {
        String rest = request.path.substring(CONTEXT.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        String appId = slash < 0 ? "" : rest.substring(slash + 1);
        Kind kind =
                switch (name) {
                    case "events" -> Kind.EVENTS;
                    case "commands" -> Kind.COMMANDS;
                    case "interactive" -> Kind.INTERACTIVE;
                    default -> null;
                };
        if (kind == null || appId.contains("/")) {
            throw new Rejection(404, NOT_FOUND, "no such endpoint");
        }
        request.kind = kind;
        request.appId = appId;
        if (!"POST".equals(request.exchange.getRequestMethod())) {
            request.exchange.getResponseHeaders().set("Allow", "POST");
            throw new Rejection(405, METHOD_NOT_ALLOWED, "method " + request.exchange.getRequestMethod());
        }
    }

    /** Both signature headers, well formed, and a fresh timestamp; else refused with the body unread. */
    private void checkHeaders(Request request) throws Rejection {
        Headers headers = request.exchange.getRequestHeaders();
        String timestamp = headers.getFirst("X-Slack-Request-Timestamp");
        String signature = headers.getFirst("X-Slack-Signature");
        switch (verifier.checkHeaders(timestamp, signature)) {
            case OK -> {}
            case STALE ->
                throw new Rejection(401, STALE, "timestamp " + timestamp + " too far from the broker's clock");
            case BAD_SIGNATURE -> {
                String what = signature == null
                        ? "no X-Slack-Signature"
                        : timestamp == null
                                ? "no X-Slack-Request-Timestamp"
                                : "X-Slack-Signature is not v0= and 64 hex digits, or the timestamp is no number";
                throw new Rejection(401, BAD_SIGNATURE, what);
            }
        }
    }

    /** The body's {@code Content-Length}, refused when over the limit; -1 when there is none (chunked). */
    private long declaredLength(Request request) throws Rejection {
        String header = request.exchange.getRequestHeaders().getFirst("Content-Length");
        if (header == null) {
            return -1;
        }
        long length;
        try {
            length = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            // The JDK's server refuses such requests before they get here.
            throw new Rejection(400, MALFORMED, "Content-Length " + header);
        }
        if (length > limits.maxBody()) {
            throw new Rejection(
                    400, TOO_LARGE, "Content-Length " + length + " larger than " + limits.maxBody() + " bytes");
        }
        return length;
    }

    /**
     * Reads the body into {@code buffer}, at most the limit, within the body timeout; refused as {@code busy}
     * when the budget of body bytes cannot pay for it. When the deadline passes first it interrupts this
     * thread, which closes the connection under a blocked read: the JDK server's channels are
     * {@link java.nio.channels.InterruptibleChannel}s.
     */
    private byte[] readBody(Request request, BodyBuffer buffer, long declared) throws Rejection, Abandoned {
        BodyDeadline deadline = new BodyDeadline(Thread.currentThread());
        ScheduledFuture<?> timer;
        try {
            timer = timers.schedule(deadline::expire, limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            throw new Rejection(503, UNAVAILABLE, "the broker is shutting down");
        }
        int last;
        boolean more = false;
        IOException failure = null;
        receiving.incrementAndGet();
        try {
            InputStream in = request.exchange.getRequestBody();
            do {
                last = buffer.readFrom(in);
            } while (last > 0);
            if (last != BodyBuffer.NO_ROOM) {
                if (declared >= 0 && buffer.size() < declared) {
                    failure = new EOFException(buffer.size() + " of " + declared + " bytes");
                } else if (declared < 0 && buffer.size() == limits.maxBody()) {
                    more = in.read() >= 0;
                }
            }
        } catch (IOException e) {
            failure = e;
            last = 0;
        } finally {
            timer.cancel(false);
            receiving.decrementAndGet();
        }
        if (deadline.finish()) {
            Thread.interrupted();
            throw new Abandoned(
                    BODY_TIMEOUT,
                    "body not received within " + limits.bodyTimeout().toMillis() + " ms");
        }
        if (failure != null) {
            throw new Abandoned(MALFORMED, "body cut short: " + failure);
        }
        if (last == BodyBuffer.NO_ROOM) {
            throw new Rejection(
                    503,
                    BUSY,
                    "no room for the body: bodies being received and handled hold "
                            + (limits.bodyBudget() - bodyBytes.availablePermits()) + " of " + limits.bodyBudget()
                            + " bytes");
        }
        request.bodyRead = true;
        if (more) {
            throw new Rejection(400, TOO_LARGE, "body larger than " + limits.maxBody() + " bytes");
        }
        return buffer.bytes();
    }

    /** Interrupts the reading thread once, unless the body was in first; its monitor orders the two. */
    private static final class BodyDeadline {
        private final Thread reader;
        /** Guarded by this. */
        private boolean finished;
        /** Guarded by this. */
        private boolean expired;

        BodyDeadline(Thread reader) {
            this.reader = reader;
        }

        synchronized void expire() {
            if (!finished) {
                expired = true;
                reader.interrupt();
            }
        }

        /** Ends the deadline; true when it expired first (the reader's interrupt status is then set). */
        synchronized boolean finish() {
            finished = true;
            return expired;
        }
    }

    /** url_verification bodies are about 150 bytes; larger bodies without an app id are not tried against every app. */
    private static final int UNNAMED_APP_MAX_BODY = 4096;

    private void serve(Request request, Backend b, byte[] body) throws Rejection, IOException {
        HttpExchange exchange = request.exchange;
        // The app, hence the secret, comes from the path or the body; of an unverified body only the
        // api_app_id is read.
        if (request.appId.isEmpty()) {
            request.appId = appIdOf(request.kind, body);
        }
        var headers = exchange.getRequestHeaders();
        AppRegistration app = verifiedApp(request, b.apps(), headers, body);
        JsonNode payload = parse(request.kind, body);
        String retry = headers.getFirst("X-Slack-Retry-Num");
        if (retry != null) {
            metrics.slackRetries.increment();
            log.debug(
                    "Slack retry {} ({}) for app {}",
                    LogText.escape(retry),
                    LogText.escape(headers.getFirst("X-Slack-Retry-Reason")),
                    request.appId);
        }
        if (request.kind == Kind.EVENTS && text(payload, "type").equals("url_verification")) {
            // https://api.slack.com/events/url_verification: Slack checks the request URL with it.
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            metrics.slackRequest(OK);
            respond(
                    exchange,
                    200,
                    json.createObjectNode()
                            .put("challenge", text(payload, "challenge"))
                            .toString());
            return;
        }
        AppEvent event = translate(request.kind, b, app, payload, fallbackId(headers, body));
        if (event == null) {
            log.debug("{} request of app {} has nothing Relax reports", request.kind, request.appId);
            metrics.slackRequest(IGNORED);
            respond(exchange, 200, "");
            return;
        }
        store(request, b.writer(), event);
    }

    /** The unverified {@code api_app_id} of the body, read without building it; "" when it names none. */
    private String appIdOf(Kind kind, byte[] body) throws Rejection {
        try {
            return switch (kind) {
                case EVENTS -> appIds.fromJson(body);
                case COMMANDS -> appIds.fromForm(body);
                case INTERACTIVE -> appIds.fromPayloadField(body);
            };
        } catch (IOException e) {
            throw new Rejection(
                    400, MALFORMED, "cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The app whose signing secret signed the request. Slack's {@code url_verification} names no app, so
     * a small Events API request without an app id is tried against every app with a signing secret;
     * anything else that names no app is refused before any HMAC is computed, so that unsigned junk cannot
     * make the broker hash large bodies once per app.
     */
    private AppRegistration verifiedApp(Request request, AppDirectory apps, Headers headers, byte[] body)
            throws Rejection {
        String timestamp = headers.getFirst("X-Slack-Request-Timestamp");
        String signature = headers.getFirst("X-Slack-Signature");
        List<AppRegistration> candidates;
        if (request.appId.isEmpty()) {
            if (request.kind != Kind.EVENTS || body.length > UNNAMED_APP_MAX_BODY) {
                throw new Rejection(401, UNKNOWN_APP, "the request names no app (api_app_id or /<app id> in the path)");
            }
            candidates = apps.apps().stream()
                    .filter(a -> !a.signingSecret().isEmpty())
                    .toList();
        } else {
            AppRegistration named = apps.app(request.appId);
            candidates = named == null || named.signingSecret().isEmpty() ? List.of() : List.of(named);
        }
        if (candidates.isEmpty()) {
            throw new Rejection(401, UNKNOWN_APP, "no registered app with a signing secret has this id");
        }
        boolean stale = false;
        for (AppRegistration candidate : candidates) {
            switch (verifier.verify(candidate.signingSecret(), timestamp, signature, body)) {
                case OK -> {
                    request.appId = candidate.appId();
                    return candidate;
                }
                case STALE -> stale = true;
                case BAD_SIGNATURE -> {}
            }
        }
        if (stale) {
            throw new Rejection(401, STALE, "timestamp " + timestamp + " too far from the broker's clock");
        }
        throw new Rejection(401, BAD_SIGNATURE, "signature missing or wrong");
    }

    /** The event of a verified request, or null when Relax does not report it. */
    private static AppEvent translate(Kind kind, Backend b, AppRegistration app, JsonNode payload, String fallbackId) {
        return switch (kind) {
            case EVENTS ->
                text(payload, "type").equals("event_callback")
                        ? b.translator().eventCallback(app, payload, b.apps()::botUserId)
                        : null;
            case COMMANDS -> {
                String team = text(payload, "team_id");
                yield b.translator()
                        .slashCommand(app, payload, fallbackId, b.apps().botUserId(app.appId(), team));
            }
            case INTERACTIVE -> {
                String team = text(payload.path("team"), "id");
                if (team.isEmpty()) {
                    team = text(payload.path("user"), "team_id");
                }
                yield b.translator()
                        .interaction(app, payload, fallbackId, b.apps().botUserId(app.appId(), team));
            }
        };
    }

    /** Offers the event and answers 200 once it is in Redis, or 503 so that Slack tries again later. */
    private void store(Request request, EventWriter writer, AppEvent event) throws Rejection, IOException {
        CountDownLatch stored = new CountDownLatch(1);
        if (!writer.offer(event.bot(), event.translated(), stored::countDown)) {
            throw new Rejection(503, UNAVAILABLE, "event buffer full");
        }
        boolean done;
        try {
            done = stored.await(limits.storeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            // The event stays buffered and is written when Redis is back; Slack's retry is then deduplicated.
            throw new Rejection(
                    503,
                    UNAVAILABLE,
                    "event " + event.translated().event().type() + " not in Redis within "
                            + limits.storeTimeout().toMillis() + " ms; kept in memory, Slack will retry");
        }
        metrics.slackRequest(OK);
        log.debug(
                "{} event {} of app {} stored",
                request.kind,
                event.translated().event().type(),
                request.appId);
        respond(request.exchange, 200, "");
    }

    private JsonNode parse(Kind kind, byte[] body) throws Rejection {
        try {
            JsonNode node =
                    switch (kind) {
                        case EVENTS -> json.readTree(body);
                        case COMMANDS -> form(body);
                        case INTERACTIVE -> {
                            String payload = text(form(body), "payload");
                            yield payload.isEmpty() ? null : json.readTree(payload);
                        }
                    };
            if (node == null || !node.isObject()) {
                throw new Rejection(400, MALFORMED, "not a JSON object");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new Rejection(
                    400, MALFORMED, "cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** An {@code application/x-www-form-urlencoded} body as an object of strings (the last of a repeated name wins). */
    private ObjectNode form(byte[] body) {
        ObjectNode out = json.createObjectNode();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return out;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name, value);
        }
        return out;
    }

    /**
     * A dedupe id for a command or interaction without a {@code trigger_id}: the same for a resent request,
     * different for a new one (the timestamp is signed with the body). Not the signature itself, which is
     * never stored or logged.
     */
    private static String fallbackId(Headers headers, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.valueOf(headers.getFirst("X-Slack-Request-Timestamp"))
                    .getBytes(StandardCharsets.UTF_8));
            sha.update((byte) ':');
            return "sha256:" + HexFormat.of().formatHex(sha.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private void reject(Request request, Rejection r) throws IOException {
        metrics.slackRequest(r.result);
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
        respond(request.exchange, r.status, r.status == 503 ? "unavailable, retry later" : r.result);
    }

    /**
     * One WARN line per result per {@link #LOG_INTERVAL} at most, saying how many were not logged; what and
     * where, every value from the request escaped; never the secret or the signature.
     */
    private void logRefusal(Request request, int status, String result, String reason) {
        long held = logThrottle.admit(result);
        if (held == LogThrottle.SUPPRESS) {
            return;
        }
        log.warn(
                "slack request refused: status={} result={} path={} remote={} app={} reason={}{}",
                status == 0 ? "none" : status,
                result,
                LogText.escape(request.exchange.getRequestURI().getRawPath()),
                LogText.escape(remote(request.exchange)),
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

    private static String remote(HttpExchange exchange) {
        var address = exchange.getRemoteAddress();
        return address == null ? "?" : address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node == null ? null : node.get(name);
        return v == null || v.isNull() || v.isContainerNode() ? "" : v.asText();
    }
}
