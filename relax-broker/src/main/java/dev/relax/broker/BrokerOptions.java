package dev.relax.broker;

import dev.relax.core.RelaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The broker's own settings beyond the shared {@link dev.relax.core.RelaxConfig}: timings, limits and
 * switches, each with a production default. Read from the environment with {@link #fromEnv(Map)} (names
 * below; all optional, all ours: the Go broker has none of them) or built in code.
 *
 * <table>
 *   <caption>Environment</caption>
 *   <tr><td>{@code RELAX_PING_INTERVAL}</td><td>seconds between pings on each socket (5)</td></tr>
 *   <tr><td>{@code RELAX_MAX_MISSED_PONGS}</td><td>unanswered pings that mean a dead socket (3)</td></tr>
 *   <tr><td>{@code RELAX_RECONNECT_BACKOFF}, {@code RELAX_RECONNECT_BACKOFF_MAX}</td><td>first and largest retry delay ceiling, seconds (1.5, 60)</td></tr>
 *   <tr><td>{@code RELAX_LOGIN_CONCURRENCY}</td><td>bots logging in at once (64)</td></tr>
 *   <tr><td>{@code RELAX_START_JITTER}</td><td>start-up logins spread over up to this many seconds (2)</td></tr>
 *   <tr><td>{@code RELAX_DEDUPE_TTL}</td><td>seconds a dedupe key lives (600)</td></tr>
 *   <tr><td>{@code RELAX_BUFFER_SIZE}</td><td>events kept in memory while Redis is away (100000)</td></tr>
 *   <tr><td>{@code RELAX_RTM_METHOD}</td><td>{@code rtm.connect} (default) or {@code rtm.start}</td></tr>
 *   <tr><td>{@code RELAX_EVENT_FILTER}</td><td>{@code all} (default) or {@code mentions_and_dms}</td></tr>
 *   <tr><td>{@code RELAX_HTTP_HOST}</td><td>address the HTTP server binds (0.0.0.0)</td></tr>
 *   <tr><td>{@code RELAX_HTTP_MAX_BODY}</td><td>largest body, in bytes, of a request to {@code /slack/...} (2097152; see below)</td></tr>
 *   <tr><td>{@code RELAX_HTTP_MAX_IN_FLIGHT}</td><td>requests to {@code /slack/...} handled at once once their body is in (checked, parsed, stored); more are answered 503; also sizes the budget of body bytes (32; see below)</td></tr>
 *   <tr><td>{@code RELAX_SHUTDOWN_TIMEOUT}</td><td>seconds to let Web API calls sent to Slack finish on shutdown, then again to push pending events (10)</td></tr>
 *   <tr><td>{@code RELAX_APP_LEASE_TTL}</td><td>seconds a Socket Mode connection lease outlives a dead broker (10)</td></tr>
 *   <tr><td>{@code RELAX_CALL_INTERVAL}</td><td>seconds between Web API calls of one method to one channel, fleet-wide (1)</td></tr>
 *   <tr><td>{@code RELAX_CALL_MAX_ATTEMPTS}</td><td>tries of a Web API call before it fails (10)</td></tr>
 *   <tr><td>{@code RELAX_CALL_CLAIM_IDLE}</td><td>seconds a call of a silent broker waits before another takes it over (30)</td></tr>
 *   <tr><td>{@code RELAX_CALL_MAX_HELD}</td><td>calls one broker takes anew from the calls stream while it still holds fewer (512); calls of a silent broker are taken over beyond it</td></tr>
 *   <tr><td>{@code RELAX_WRITE_LINGER}</td><td>seconds the event writer waits to fill a batch once its first event is in (0: write at once; 0.0002 trades latency for less CPU)</td></tr>
 *   <tr><td>{@code RELAX_MANAGEMENT_PORT}</td><td>a second port with only {@code /}, {@code /ready} and {@code /metrics}, for probes and scrapes that a flood of connections to the Slack-facing {@code PORT} must not reach (unset: none)</td></tr>
 *   <tr><td>{@code RELAX_WEBSOCKET}</td><td>websocket library: {@code auto} (default: the JDK's for RTM, nv-websocket-client for Socket Mode), {@code jdk} or {@code nv} for both</td></tr>
 * </table>
 *
 * <p>{@code RELAX_HTTP_MAX_BODY}: Slack documents no limit for a whole request, only for its parts: a
 * message's text is cut at 40,000 characters (https://api.slack.com/changelog/2018-04-truncating-really-long-messages),
 * a message holds at most 50 blocks and a modal 100, a section's text 3,000 characters, a
 * {@code plain_text_input} 3,000, a view's {@code private_metadata} 3,000
 * (https://api.slack.com/reference/block-kit/views). The largest requests these allow in practice are a
 * {@code message_changed} event, which carries the message and its {@code previous_message}, each with its
 * text and the same text again in its {@code rich_text} blocks: 160,000 characters, about 1 MB when Slack
 * escapes them as {@code &#92;uXXXX}; and a {@code view_submission}, which carries the modal's blocks and
 * what was typed into them. The default, {@value #DEFAULT_HTTP_MAX_BODY} bytes, is twice the first and
 * holds a modal of 100 inputs with 3,000 characters each, unless most of them are escaped (about 2.4 MB once also
 * form-encoded): raise it for such modals. Slack's own Bolt for JavaScript caps bodies at 4 MB.
 *
 * <p>{@code RELAX_HTTP_MAX_IN_FLIGHT} bounds two things, each taken only when it is used, so that a client
 * that sends headers and then its body slowly or never cannot take what Slack's requests need: the
 * requests being handled once their whole body is in (CPU, and waits for Redis), and the bytes of bodies
 * held at once, being received or handled: {@code RELAX_HTTP_MAX_BODY} times {@code RELAX_HTTP_MAX_IN_FLIGHT}
 * (64 MiB with the defaults, at most 2 GiB), however many requests arrive. A body takes its bytes as they
 * arrive (room for at most twice what arrived); a request whose body finds the budget spent is answered 503.
 */
public record BrokerOptions(
        Duration pingInterval,
        int maxMissedPongs,
        Duration backoffInitial,
        Duration backoffMax,
        int loginConcurrency,
        Duration startJitter,
        Duration dedupeTtl,
        int bufferSize,
        int batchSize,
        String rtmMethod,
        boolean mentionsAndDmsOnly,
        String httpHost,
        int httpMaxBody,
        int httpMaxInFlight,
        Duration shutdownTimeout,
        Duration appLeaseTtl,
        Duration callInterval,
        int callMaxAttempts,
        Duration callClaimIdle,
        WebSocketLibrary websocket,
        Duration writeLinger,
        int callMaxHeld,
        int managementPort) {

    /** {@link #managementPort()} when there is none: health and metrics are on {@code PORT} only. */
    public static final int NO_MANAGEMENT_PORT = -1;

    /** The default largest body of a request to {@code /slack/...}: 2 MiB (see the class comment). */
    public static final int DEFAULT_HTTP_MAX_BODY = 2 << 20;
    /** A {@code url_verification} request is about 150 bytes; a limit below this could refuse Slack's own. */
    static final int MIN_HTTP_MAX_BODY = 4096;
    /** The largest limit that can be set: a body is one array in memory. */
    static final int MAX_HTTP_MAX_BODY = 64 << 20;

    /** The library behind the broker's websockets (RTM and Socket Mode); see docs/performance.md. */
    public enum WebSocketLibrary {
        /** The JDK's for RTM bots (thousands of sockets), nv-websocket-client for Socket Mode (a few). */
        AUTO,
        /** nv-websocket-client: two threads per socket. */
        NV,
        /** The JDK's java.net.http.WebSocket: one selector thread for every socket. */
        JDK
    }

    public BrokerOptions {
        Objects.requireNonNull(pingInterval, "pingInterval");
        require(
                !pingInterval.isNegative() && !pingInterval.isZero(),
                "pingInterval",
                "must be positive, was " + pingInterval);
        require(maxMissedPongs >= 1, "maxMissedPongs", "must be at least 1, was " + maxMissedPongs);
        require(
                backoffInitial.toMillis() > 0 && backoffMax.compareTo(backoffInitial) >= 0,
                "backoff",
                "needs 0 < initial <= max (a zero back-off would retry Slack in a hot loop), was " + backoffInitial
                        + " and " + backoffMax);
        require(loginConcurrency >= 1, "loginConcurrency", "must be at least 1, was " + loginConcurrency);
        require(!startJitter.isNegative(), "startJitter", "must not be negative");
        require(dedupeTtl.toSeconds() >= 1, "dedupeTtl", "must be at least 1 s, was " + dedupeTtl);
        require(bufferSize >= 1, "bufferSize", "must be at least 1, was " + bufferSize);
        require(batchSize >= 1, "batchSize", "must be at least 1, was " + batchSize);
        require(
                rtmMethod.equals("rtm.connect") || rtmMethod.equals("rtm.start"),
                "rtmMethod",
                "must be rtm.connect or rtm.start, was '" + rtmMethod + "'");
        Objects.requireNonNull(httpHost, "httpHost");
        require(
                httpMaxBody >= MIN_HTTP_MAX_BODY && httpMaxBody <= MAX_HTTP_MAX_BODY,
                "httpMaxBody",
                "must be between " + MIN_HTTP_MAX_BODY + " and " + MAX_HTTP_MAX_BODY + " bytes, was " + httpMaxBody);
        require(httpMaxInFlight >= 1, "httpMaxInFlight", "must be at least 1, was " + httpMaxInFlight);
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        require(appLeaseTtl.toMillis() >= 500, "appLeaseTtl", "must be at least 0.5 s, was " + appLeaseTtl);
        require(
                callInterval != null && callInterval.toMillis() >= 1,
                "callInterval",
                "must be at least 1 ms, was " + callInterval);
        require(callMaxAttempts >= 1, "callMaxAttempts", "must be at least 1, was " + callMaxAttempts);
        require(
                callClaimIdle != null && callClaimIdle.toMillis() >= 300,
                "callClaimIdle",
                "must be at least 300 ms (brokers refresh their claims three times per period), was " + callClaimIdle);
        Objects.requireNonNull(websocket, "websocket");
        require(
                writeLinger != null && !writeLinger.isNegative() && writeLinger.toMillis() <= 100,
                "writeLinger",
                "must be between 0 and 0.1 s, was " + writeLinger);
        require(callMaxHeld >= 1, "callMaxHeld", "must be at least 1, was " + callMaxHeld);
        require(
                managementPort == NO_MANAGEMENT_PORT || managementPort >= 0 && managementPort <= 65535,
                "managementPort",
                "must be a port (0 for any free one), or unset, was " + managementPort);
    }

    /** The production defaults. */
    public static BrokerOptions defaults() {
        return new BrokerOptions(
                Duration.ofSeconds(5),
                3,
                Duration.ofMillis(1500),
                Duration.ofSeconds(60),
                64,
                Duration.ofSeconds(2),
                Duration.ofMinutes(10),
                100_000,
                512,
                "rtm.connect",
                false,
                "0.0.0.0",
                DEFAULT_HTTP_MAX_BODY,
                32,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                10,
                Duration.ofSeconds(30),
                WebSocketLibrary.AUTO,
                Duration.ZERO,
                512,
                NO_MANAGEMENT_PORT);
    }

    /** Defaults overridden by the {@code RELAX_*} variables in the table above. */
    public static BrokerOptions fromEnv(Map<String, String> env) {
        BrokerOptions d = defaults();
        return new BrokerOptions(
                seconds(env, "RELAX_PING_INTERVAL", d.pingInterval),
                integer(env, "RELAX_MAX_MISSED_PONGS", d.maxMissedPongs),
                seconds(env, "RELAX_RECONNECT_BACKOFF", d.backoffInitial),
                seconds(env, "RELAX_RECONNECT_BACKOFF_MAX", d.backoffMax),
                integer(env, "RELAX_LOGIN_CONCURRENCY", d.loginConcurrency),
                seconds(env, "RELAX_START_JITTER", d.startJitter),
                seconds(env, "RELAX_DEDUPE_TTL", d.dedupeTtl),
                integer(env, "RELAX_BUFFER_SIZE", d.bufferSize),
                d.batchSize,
                text(env, "RELAX_RTM_METHOD", d.rtmMethod),
                filter(env),
                text(env, "RELAX_HTTP_HOST", d.httpHost),
                integer(env, "RELAX_HTTP_MAX_BODY", d.httpMaxBody),
                integer(env, "RELAX_HTTP_MAX_IN_FLIGHT", d.httpMaxInFlight),
                seconds(env, "RELAX_SHUTDOWN_TIMEOUT", d.shutdownTimeout),
                seconds(env, "RELAX_APP_LEASE_TTL", d.appLeaseTtl),
                seconds(env, "RELAX_CALL_INTERVAL", d.callInterval),
                integer(env, "RELAX_CALL_MAX_ATTEMPTS", d.callMaxAttempts),
                seconds(env, "RELAX_CALL_CLAIM_IDLE", d.callClaimIdle),
                websocket(env, d.websocket),
                secondsPrecise(env, "RELAX_WRITE_LINGER", d.writeLinger),
                integer(env, "RELAX_CALL_MAX_HELD", d.callMaxHeld),
                integer(env, "RELAX_MANAGEMENT_PORT", d.managementPort));
    }

    /** A builder with the production defaults. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** A builder that starts from these options. */
    public Builder mutate() {
        return new Builder(this);
    }

    /** Builds {@link BrokerOptions}; {@link #build()} checks every value and names the one that is wrong. */
    public static final class Builder {
        private Duration pingInterval;
        private int maxMissedPongs;
        private Duration backoffInitial;
        private Duration backoffMax;
        private int loginConcurrency;
        private Duration startJitter;
        private Duration dedupeTtl;
        private int bufferSize;
        private int batchSize;
        private String rtmMethod;
        private boolean mentionsAndDmsOnly;
        private String httpHost;
        private int httpMaxBody;
        private int httpMaxInFlight;
        private Duration shutdownTimeout;
        private Duration appLeaseTtl;
        private Duration callInterval;
        private int callMaxAttempts;
        private Duration callClaimIdle;
        private WebSocketLibrary websocket;
        private Duration writeLinger;
        private int callMaxHeld;
        private int managementPort;

        private Builder(BrokerOptions o) {
            pingInterval = o.pingInterval;
            maxMissedPongs = o.maxMissedPongs;
            backoffInitial = o.backoffInitial;
            backoffMax = o.backoffMax;
            loginConcurrency = o.loginConcurrency;
            startJitter = o.startJitter;
            dedupeTtl = o.dedupeTtl;
            bufferSize = o.bufferSize;
            batchSize = o.batchSize;
            rtmMethod = o.rtmMethod;
            mentionsAndDmsOnly = o.mentionsAndDmsOnly;
            httpHost = o.httpHost;
            httpMaxBody = o.httpMaxBody;
            httpMaxInFlight = o.httpMaxInFlight;
            shutdownTimeout = o.shutdownTimeout;
            appLeaseTtl = o.appLeaseTtl;
            callInterval = o.callInterval;
            callMaxAttempts = o.callMaxAttempts;
            callClaimIdle = o.callClaimIdle;
            websocket = o.websocket;
            writeLinger = o.writeLinger;
            callMaxHeld = o.callMaxHeld;
            managementPort = o.managementPort;
        }

        public Builder pingInterval(Duration v) {
            pingInterval = v;
            return this;
        }

        public Builder maxMissedPongs(int v) {
            maxMissedPongs = v;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            backoffInitial = initial;
            backoffMax = max;
            return this;
        }

        public Builder loginConcurrency(int v) {
            loginConcurrency = v;
            return this;
        }

        public Builder startJitter(Duration v) {
            startJitter = v;
            return this;
        }

        public Builder dedupeTtl(Duration v) {
            dedupeTtl = v;
            return this;
        }

        public Builder bufferSize(int v) {
            bufferSize = v;
            return this;
        }

        public Builder rtmMethod(String v) {
            rtmMethod = v;
            return this;
        }

        public Builder mentionsAndDmsOnly(boolean v) {
            mentionsAndDmsOnly = v;
            return this;
        }

        public Builder httpHost(String v) {
            httpHost = v;
            return this;
        }

        /** The largest body, in bytes, of a request to {@code /slack/...}; see {@link BrokerOptions#httpMaxBody}. */
        public Builder httpMaxBody(int v) {
            httpMaxBody = v;
            return this;
        }

        /**
         * How many requests to {@code /slack/...} are handled at once once their body is in; more are answered
         * 503. Bodies held at once take at most this times {@link #httpMaxBody} bytes; see the class comment.
         */
        public Builder httpMaxInFlight(int v) {
            httpMaxInFlight = v;
            return this;
        }

        public Builder shutdownTimeout(Duration v) {
            shutdownTimeout = v;
            return this;
        }

        /** How long a Socket Mode connection lease outlives a broker that stopped renewing it. */
        public Builder appLeaseTtl(Duration v) {
            appLeaseTtl = v;
            return this;
        }

        /** The fleet-wide pause between Web API calls of one method to one channel of a workspace. */
        public Builder callInterval(Duration v) {
            callInterval = v;
            return this;
        }

        /**
         * How many times a Web API call is tried before it fails: 429 and connections that could not be
         * opened are retried; 5xx and connections cut after the request was sent only for methods harmless to
         * repeat (docs/protocol.md, Web API calls).
         */
        public Builder callMaxAttempts(int v) {
            callMaxAttempts = v;
            return this;
        }

        /** How long a call held by a broker that stopped refreshing it waits before another broker takes it. */
        public Builder callClaimIdle(Duration v) {
            callClaimIdle = v;
            return this;
        }

        /** The websocket library for RTM and Socket Mode connections. */
        public Builder websocket(WebSocketLibrary v) {
            websocket = v;
            return this;
        }

        /** How long the event writer waits to fill a batch once its first event is in; zero writes at once. */
        public Builder writeLinger(Duration v) {
            writeLinger = v;
            return this;
        }

        /**
         * How many calls this broker takes anew from the calls stream while it holds fewer; each holds a
         * little memory, and each channel with calls waiting polls Redis. Calls of a broker that went silent
         * are taken over whatever this says.
         */
        public Builder callMaxHeld(int v) {
            callMaxHeld = v;
            return this;
        }

        /**
         * A second HTTP port that serves only {@code /}, {@code /ready} and {@code /metrics} (default none),
         * so that probes and scrapes reach the broker even while clients hold every connection of the
         * Slack-facing port; 0 for any free port.
         */
        public Builder managementPort(int v) {
            managementPort = v;
            return this;
        }

        public BrokerOptions build() {
            return new BrokerOptions(
                    pingInterval,
                    maxMissedPongs,
                    backoffInitial,
                    backoffMax,
                    loginConcurrency,
                    startJitter,
                    dedupeTtl,
                    bufferSize,
                    batchSize,
                    rtmMethod,
                    mentionsAndDmsOnly,
                    httpHost,
                    httpMaxBody,
                    httpMaxInFlight,
                    shutdownTimeout,
                    appLeaseTtl,
                    callInterval,
                    callMaxAttempts,
                    callClaimIdle,
                    websocket,
                    writeLinger,
                    callMaxHeld,
                    managementPort);
        }
    }

    private static void require(boolean ok, String name, String problem) {
        if (!ok) {
            throw RelaxException.badSetting(name, problem);
        }
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
        return seconds(env, name, fallback, 1_000_000);
    }

    /** As {@link #seconds}, to the microsecond (for sub-millisecond settings). */
    private static Duration secondsPrecise(Map<String, String> env, String name, Duration fallback) {
        return seconds(env, name, fallback, 1_000);
    }

    /** A number of seconds, rounded to {@code unitNanos}. */
    private static Duration seconds(Map<String, String> env, String name, Duration fallback, long unitNanos) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            double s = Double.parseDouble(v.trim());
            if (s >= 0 && !Double.isInfinite(s)) {
                return Duration.ofNanos(Math.round(s * 1e9 / unitNanos) * unitNanos);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw RelaxException.badSetting(name, "must be a number of seconds, was '" + v + "'");
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw RelaxException.badSetting(name, "must be a whole number, was '" + v + "'");
        }
    }

    private static WebSocketLibrary websocket(Map<String, String> env, WebSocketLibrary fallback) {
        String v = text(env, "RELAX_WEBSOCKET", fallback.name()).toUpperCase(Locale.ROOT);
        try {
            return WebSocketLibrary.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw RelaxException.badSetting(
                    "RELAX_WEBSOCKET", "must be auto, jdk or nv, was '" + env.get("RELAX_WEBSOCKET") + "'");
        }
    }

    private static boolean filter(Map<String, String> env) {
        String v = text(env, "RELAX_EVENT_FILTER", "all").toLowerCase(Locale.ROOT);
        return switch (v) {
            case "all" -> false;
            case "mentions_and_dms" -> true;
            default ->
                throw RelaxException.badSetting(
                        "RELAX_EVENT_FILTER", "must be all or mentions_and_dms, was '" + v + "'");
        };
    }
}
