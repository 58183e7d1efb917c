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
import java.util.concurrent.TimeUnit;
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
 * the broker could not store within {@link #DEFAULT_STORE_TIMEOUT}. Nothing that fails a check reaches
 * Redis. Runs on the HTTP server's threads (one virtual thread per request); no state of its own.
 */
public final class SlackEventsHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(SlackEventsHandler.class);

    /** The path this handler serves, registered as an HTTP context. */
    public static final String CONTEXT = "/slack/";
    /** Larger bodies are refused; Slack's are a few kB. */
    public static final int DEFAULT_MAX_BODY = 1 << 20;
    /** Slack wants an answer within 3 s; this leaves room for the network. */
    public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofMillis(2500);

    static final String OK = "ok";
    static final String IGNORED = "ignored";
    static final String BAD_SIGNATURE = "bad_signature";
    static final String STALE = "stale";
    static final String MALFORMED = "malformed";
    static final String TOO_LARGE = "too_large";
    static final String UNKNOWN_APP = "unknown_app";
    static final String UNAVAILABLE = "unavailable";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    static final String NOT_FOUND = "not_found";
    static final String ERROR = "error";

    /** What the handler needs from a broker that is connected to Redis. */
    public record Backend(AppDirectory apps, AppEventTranslator translator, EventWriter writer) {}

    private enum Kind {
        EVENTS,
        COMMANDS,
        INTERACTIVE
    }

    private final Supplier<Backend> backend;
    private final SlackRequestVerifier verifier;
    private final BrokerMetrics metrics;
    private final int maxBody;
    private final Duration storeTimeout;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param backend the broker's apps, translator and writer; null until Redis is connected (answered 503)
     */
    public SlackEventsHandler(
            Supplier<Backend> backend,
            SlackRequestVerifier verifier,
            BrokerMetrics metrics,
            int maxBody,
            Duration storeTimeout) {
        this.backend = backend;
        this.verifier = verifier;
        this.metrics = metrics;
        this.maxBody = maxBody;
        this.storeTimeout = storeTimeout;
        metrics.declareSlackRequestResults(
                OK,
                IGNORED,
                BAD_SIGNATURE,
                STALE,
                MALFORMED,
                TOO_LARGE,
                UNKNOWN_APP,
                UNAVAILABLE,
                METHOD_NOT_ALLOWED,
                NOT_FOUND,
                ERROR);
    }

    public SlackEventsHandler(Supplier<Backend> backend, SlackRequestVerifier verifier, BrokerMetrics metrics) {
        this(backend, verifier, metrics, DEFAULT_MAX_BODY, DEFAULT_STORE_TIMEOUT);
    }

    /** The request being handled, for answers and log lines; used by its own thread only. */
    private static final class Request {
        final HttpExchange exchange;
        final String path;
        Kind kind;
        /** From the path, else from the body once read; "" until known. */
        String appId = "";

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

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Request request = new Request(exchange);
        try {
            route(request);
            serve(request);
        } catch (Rejection r) {
            reject(request, r);
        } catch (RuntimeException e) {
            metrics.slackRequest(ERROR);
            log.error("{} from {} for app {} failed", request.path, remote(exchange), request.appId, e);
            respond(exchange, 500, "");
        } finally {
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

    /** url_verification bodies are about 150 bytes; larger bodies without an app id are not tried against every app. */
    private static final int UNNAMED_APP_MAX_BODY = 4096;

    private void serve(Request request) throws Rejection, IOException {
        HttpExchange exchange = request.exchange;
        byte[] body = readAtMost(exchange.getRequestBody(), maxBody + 1);
        if (body.length > maxBody) {
            throw new Rejection(400, TOO_LARGE, "body larger than " + maxBody + " bytes");
        }
        Backend b = backend.get();
        if (b == null) {
            throw new Rejection(503, UNAVAILABLE, "not connected to Redis yet");
        }
        // The app, hence the secret, comes from the path or the body; the body is trusted only once verified.
        JsonNode payload = null;
        if (request.appId.isEmpty()) {
            payload = parse(request.kind, body);
            request.appId = text(payload, "api_app_id");
        }
        var headers = exchange.getRequestHeaders();
        AppRegistration app = verifiedApp(request, b.apps(), headers, body);
        if (payload == null) {
            payload = parse(request.kind, body);
        }
        String retry = headers.getFirst("X-Slack-Retry-Num");
        if (retry != null) {
            metrics.slackRetries.increment();
            log.debug("Slack retry {} ({}) for app {}", retry, headers.getFirst("X-Slack-Retry-Reason"), request.appId);
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
        if (signature == null || !signature.startsWith("v0=")) {
            throw new Rejection(401, BAD_SIGNATURE, "no v0 signature in X-Slack-Signature");
        }
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
            done = stored.await(storeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            // The event stays buffered and is written when Redis is back; Slack's retry is then deduplicated.
            throw new Rejection(
                    503,
                    UNAVAILABLE,
                    "event " + event.translated().event().type() + " not in Redis within " + storeTimeout.toMillis()
                            + " ms; kept in memory, Slack will retry");
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
        // What and where, never the secret or the signature.
        log.warn(
                "slack request refused: status={} result={} path={} remote={} app={} reason={}",
                r.status,
                r.result,
                request.path,
                remote(request.exchange),
                request.appId.isEmpty() ? "(none)" : request.appId,
                r.getMessage());
        respond(request.exchange, r.status, r.status == 503 ? "unavailable, retry later" : r.result);
    }

    /** Reads at most {@code limit} bytes; the server discards (or drops the connection over) the rest. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        return in.readNBytes(limit);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
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
