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
 *   <tr><td>{@code RELAX_SHUTDOWN_TIMEOUT}</td><td>seconds to push pending events on shutdown (10)</td></tr>
 * </table>
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
        Duration shutdownTimeout) {

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
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
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
                Duration.ofSeconds(10));
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
                seconds(env, "RELAX_SHUTDOWN_TIMEOUT", d.shutdownTimeout));
    }

    public BrokerOptions withPingInterval(Duration v) {
        return new BrokerOptions(
                v,
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
                shutdownTimeout);
    }

    public BrokerOptions withBackoff(Duration initial, Duration max) {
        return new BrokerOptions(
                pingInterval,
                maxMissedPongs,
                initial,
                max,
                loginConcurrency,
                startJitter,
                dedupeTtl,
                bufferSize,
                batchSize,
                rtmMethod,
                mentionsAndDmsOnly,
                httpHost,
                shutdownTimeout);
    }

    public BrokerOptions withStartJitter(Duration v) {
        return new BrokerOptions(
                pingInterval,
                maxMissedPongs,
                backoffInitial,
                backoffMax,
                loginConcurrency,
                v,
                dedupeTtl,
                bufferSize,
                batchSize,
                rtmMethod,
                mentionsAndDmsOnly,
                httpHost,
                shutdownTimeout);
    }

    public BrokerOptions withBufferSize(int v) {
        return new BrokerOptions(
                pingInterval,
                maxMissedPongs,
                backoffInitial,
                backoffMax,
                loginConcurrency,
                startJitter,
                dedupeTtl,
                v,
                batchSize,
                rtmMethod,
                mentionsAndDmsOnly,
                httpHost,
                shutdownTimeout);
    }

    public BrokerOptions withRtmMethod(String v) {
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
                v,
                mentionsAndDmsOnly,
                httpHost,
                shutdownTimeout);
    }

    public BrokerOptions withMentionsAndDmsOnly(boolean v) {
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
                v,
                httpHost,
                shutdownTimeout);
    }

    public BrokerOptions withHttpHost(String v) {
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
                v,
                shutdownTimeout);
    }

    public BrokerOptions withLoginConcurrency(int v) {
        return new BrokerOptions(
                pingInterval,
                maxMissedPongs,
                backoffInitial,
                backoffMax,
                v,
                startJitter,
                dedupeTtl,
                bufferSize,
                batchSize,
                rtmMethod,
                mentionsAndDmsOnly,
                httpHost,
                shutdownTimeout);
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
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            double s = Double.parseDouble(v.trim());
            if (s >= 0 && !Double.isInfinite(s)) {
                return Duration.ofMillis(Math.round(s * 1000));
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
