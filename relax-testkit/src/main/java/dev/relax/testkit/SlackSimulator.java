/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.testkit.internal.AppState;
import dev.relax.testkit.internal.Expectations;
import dev.relax.testkit.internal.Json;
import dev.relax.testkit.internal.Settings;
import dev.relax.testkit.internal.SimulatorCore;
import dev.relax.testkit.internal.TeamState;
import dev.relax.testkit.internal.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * A local stand-in for Slack: the Web API at {@code <baseUrl>/api/<method>}, RTM and Socket Mode
 * websockets, and Events API delivery to a URL under test, on 127.0.0.1 and a free port. Tests script
 * workspaces, make people act, inject faults by name, and assert on what clients sent and received.
 *
 * <pre>{@code
 * try (SlackSimulator slack = SlackSimulator.start()) {
 *     Workspace ws = slack.workspace("T1");
 *     User alice = ws.user("U1", "alice");
 *     Channel general = ws.channel("C1", "general");
 *     Bot bot = ws.bot("xoxb-1", "UBOT", "relaxbot");
 *     startBroker("SLACK_HOST", slack.baseUrl(), "token", bot.token().reveal());
 *     slack.awaitConnections("T1", 1, Duration.ofSeconds(5));
 *     ws.as(alice).mention(bot, general, "deploy please");
 * }
 * }</pre>
 *
 * <p>Each instance has its own server, threads and state, so tests may run several at once. Thread-safe.
 */
public final class SlackSimulator implements AutoCloseable {
    private final SimulatorCore core;
    private final Expectations expectations;

    private SlackSimulator(SimulatorCore core) {
        this.core = core;
        this.expectations = new Expectations(core);
    }

    /** Starts a simulator with Slack's timings (3 s acks and timeouts, 3 retries). */
    public static SlackSimulator start() {
        return builder().start();
    }

    /** Options for timings and recording; call {@link Builder#start()} to run. */
    public static Builder builder() {
        return new Builder();
    }

    /** The URL a client uses as {@code SLACK_HOST}, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return core.baseUrl();
    }

    /** The workspace {@code teamId}, created on first use with a name and domain derived from the id. */
    public Workspace workspace(String teamId) {
        String name = Objects.requireNonNull(teamId, "teamId").toLowerCase(Locale.ROOT);
        return workspace(teamId, "Team " + teamId, name);
    }

    /** The workspace {@code teamId}, created on first use with this name and domain ({@code <domain>.slack.com}). */
    public Workspace workspace(String teamId, String name, String domain) {
        TeamState team = core.team(requireId(teamId, "teamId"), name, domain);
        return new Workspace(core, team);
    }

    /**
     * The Enterprise Grid organization {@code enterpriseId} ({@code E…}), created on first use; add its
     * workspaces with {@link Enterprise#workspace}.
     */
    public Enterprise enterprise(String enterpriseId, String name) {
        return new Enterprise(core, core.org(requireId(enterpriseId, "enterpriseId"), requireId(name, "name")));
    }

    /** The app {@code appId}, created on first use. Its events go over Socket Mode until {@link App#eventsUrl} is set. */
    public App app(String appId) {
        AppState app = core.createApp(requireId(appId, "appId"));
        return new App(core, app);
    }

    /**
     * Revokes a token: later Web API calls answer {@code token_revoked} and its open sockets are closed.
     * For a rotating token (or its refresh token) the whole authorization goes: every access token issued
     * under it, and refreshing answers {@code invalid_refresh_token}.
     *
     * @throws IllegalArgumentException for a token the simulator never issued
     */
    public void revoke(String token) {
        core.disable(token, Tokens.State.REVOKED);
    }

    /**
     * Deactivates a token's account (a deleted bot user or workspace): later calls answer {@code
     * account_inactive} and its open sockets are closed.
     */
    public void setAccountInactive(String token) {
        core.disable(token, Tokens.State.INACTIVE);
    }

    /**
     * Rate-limits a Web API method for {@code duration}: every call answers HTTP 429 with {@code
     * Retry-After} (whole seconds left, at least 1) and {@code {"ok":false,"error":"ratelimited"}}.
     */
    public void rateLimit(String method, Duration duration) {
        core.faults().rateLimit(Objects.requireNonNull(method, "method"), requirePositive(duration));
    }

    /**
     * The next {@code count} calls of a Web API method answer HTTP 500 {@code {"ok":false,"error":
     * "internal_error"}}, as during a Slack incident.
     */
    public void serverErrors(String method, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        core.faults().serverErrors(Objects.requireNonNull(method, "method"), count);
    }

    /**
     * From now on, calls of a Web API method are carried out (and recorded) at once but answered only
     * {@code delay} later, as when Slack is slow to answer; {@link Duration#ZERO} answers at once again. A
     * client that gives up meanwhile cannot know whether its call happened.
     */
    public void slowAnswers(String method, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        core.faults().slowAnswers(Objects.requireNonNull(method, "method"), delay);
    }

    /**
     * For {@code duration}, rtm.connect, rtm.start and apps.connections.open answer HTTP 503 and every
     * websocket upgrade is refused with HTTP 503, as during a Slack outage. Open sockets stay open.
     */
    public void refuseConnections(Duration duration) {
        core.faults().refuseConnections(requirePositive(duration));
    }

    /**
     * Starts migrating a workspace (https://api.slack.com/events/team_migration_started): its RTM sockets
     * get {@code team_migration_started} and are closed, and rtm.connect / rtm.start answer {@code
     * migration_in_progress} for {@code duration}.
     */
    public void migrationInProgress(String teamId, Duration duration) {
        TeamState team = core.team(teamId);
        if (team == null) {
            throw new IllegalArgumentException("unknown workspace " + teamId);
        }
        core.faults().migrate(teamId, requirePositive(duration));
        core.conversations().router().toRtm(team, eventOfType("team_migration_started"), null, null);
        team.rtmConnections().forEach(connection -> connection.close(StatusCode.SERVICE_RESTART, "team migration"));
    }

    /** What clients did and received so far. */
    public Recordings recordings() {
        return new Recordings(core);
    }

    /**
     * Waits until exactly {@code count} connections of {@code teamOrAppId} are open: RTM sockets of a
     * workspace, or Socket Mode sockets of an app. Prefer Awaitility on {@link
     * Recordings#openConnections} in new tests; this is for setup steps.
     *
     * @throws AssertionError when the count is not reached within {@code timeout}
     */
    public void awaitConnections(String teamOrAppId, int count, Duration timeout) {
        try {
            if (!core.recorder().awaitOpen(teamOrAppId, count, timeout)) {
                throw new AssertionError("expected " + count + " open connections of " + teamOrAppId + " within "
                        + timeout + " but have " + core.recorder().openConnections(teamOrAppId));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for connections of " + teamOrAppId, e);
        }
    }

    /**
     * Waits for the next message {@code bot} posts in {@code channel} (top level or in a thread) and returns
     * it, like MockWebServer's {@code takeRequest}: each call returns the oldest such message that no earlier
     * await returned, so a second call waits for the bot's second message.
     *
     * @throws AssertionError naming what was awaited and listing the channel's messages, when none arrives
     *     within {@code timeout}
     */
    public ChannelMessage awaitMessage(Bot bot, Channel channel, Duration timeout) {
        return expectations.message(bot.teamId(), bot.userId(), channel.id(), null, requirePositive(timeout));
    }

    /** As {@link #awaitMessage(Bot, Channel, Duration)}, for replies in the thread of parent {@code threadTs}. */
    public ChannelMessage awaitMessage(Bot bot, Channel channel, String threadTs, Duration timeout) {
        Objects.requireNonNull(threadTs, "threadTs");
        return expectations.message(bot.teamId(), bot.userId(), channel.id(), threadTs, requirePositive(timeout));
    }

    /**
     * Waits for the next message {@code bot} streams in {@code channel} to be finished with chat.stopStream
     * and returns it whole; each call returns a stream no earlier await returned.
     *
     * @throws AssertionError naming what was awaited and listing the channel's streams, on timeout
     */
    public StreamedMessage awaitStreamFinished(Bot bot, Channel channel, Duration timeout) {
        return expectations.streamFinished(bot.teamId(), bot.userId(), channel.id(), null, requirePositive(timeout));
    }

    /**
     * Waits for the next call of a Web API method, e.g. {@code chat.postMessage}; each call returns the
     * oldest call of that method no earlier await returned (failed calls included: check {@link ApiCall#ok()}).
     *
     * @throws AssertionError naming the method and listing every call seen, on timeout
     */
    public ApiCall awaitCall(String method, Duration timeout) {
        return expectations.call(Objects.requireNonNull(method, "method"), requirePositive(timeout));
    }

    /**
     * Clears the recordings for the next test of a class that shares one simulator: Web API calls, Events
     * API deliveries and closed connections are forgotten, connection histories restart at the current
     * count, and the awaits above start afresh (messages and finished streams present now are never
     * returned). Workspaces, users, bots, apps, messages, open sockets and faults stay: give each test its
     * own team ids.
     */
    public void reset() {
        core.recorder().reset();
        expectations.reset();
    }

    /** Stops the server: every socket is closed, pending retries are dropped. */
    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "SlackSimulator[" + baseUrl() + "]";
    }

    static ObjectNode eventOfType(String type) {
        ObjectNode event = Json.object();
        event.put("type", type);
        return event;
    }

    static String requireId(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return id;
    }

    static Duration requirePositive(Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
        return duration;
    }

    /**
     * Timings and limits. The defaults are Slack's documented values; tests usually shorten the ack
     * timeout and retry delays:
     *
     * <pre>{@code
     * SlackSimulator.builder().ackTimeout(Duration.ofMillis(200)).eventsRetryDelays(Duration.ZERO).start();
     * }</pre>
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration ackTimeout = Duration.ofSeconds(3);
        private int maxRetries = 3;
        private Duration eventsTimeout = Duration.ofSeconds(3);
        private List<Duration> eventsRetryDelays = List.of(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(5));
        private Duration closeGrace = Duration.ofSeconds(2);
        private Duration socketUrlTtl = Duration.ofSeconds(30);
        private int maxSocketModeConnections = 10;
        private boolean recordFrames = true;
        private Duration messageRatePerChannel = Duration.ZERO;

        private Builder() {}

        /** The clock of timestamps, URL lifetimes and fault windows. Default: the system clock. */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** How long a Socket Mode {@code events_api} envelope waits for its ack before redelivery. Default 3 s. */
        public Builder ackTimeout(Duration value) {
            ackTimeout = requirePositive(value);
            return this;
        }

        /** Retries of an unacknowledged envelope or a failed Events API request. Default 3. */
        public Builder maxRetries(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, was " + value);
            }
            maxRetries = value;
            return this;
        }

        /** How long an Events API request waits for an answer before it counts as {@code http_timeout}. Default 3 s. */
        public Builder eventsTimeout(Duration value) {
            eventsTimeout = requirePositive(value);
            return this;
        }

        /** The pause before each Events API retry, the last repeating. Default: immediately, 1 min, 5 min. */
        public Builder eventsRetryDelays(Duration... delays) {
            for (Duration delay : delays) {
                if (delay == null || delay.isNegative()) {
                    throw new IllegalArgumentException("eventsRetryDelays must be >= 0, was " + delay);
                }
            }
            eventsRetryDelays = List.of(delays);
            return this;
        }

        /** How long a socket stays open after {@code goodbye} or {@code refresh_requested}. Default 2 s. */
        public Builder closeGrace(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("closeGrace must be >= 0, was " + value);
            }
            closeGrace = value;
            return this;
        }

        /** How long a websocket URL stays valid. Default 30 s, as Slack's. */
        public Builder socketUrlTtl(Duration value) {
            socketUrlTtl = requirePositive(value);
            return this;
        }

        /** Open Socket Mode connections allowed per app. Default 10, as Slack's. */
        public Builder maxSocketModeConnections(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxSocketModeConnections must be >= 1, was " + value);
            }
            maxSocketModeConnections = value;
            return this;
        }

        /** Whether every websocket frame is recorded. Default true; turn off for load tests. */
        public Builder recordFrames(boolean value) {
            recordFrames = value;
            return this;
        }

        /**
         * Enforces Slack's per-channel limit on chat.postMessage, about one message per second per channel
         * (https://api.slack.com/methods/chat.postMessage#rate_limiting): a post to a channel sooner than
         * {@code minInterval} after its last accepted post answers HTTP 429 {@code ratelimited} with {@code
         * Retry-After} (whole seconds, at least 1; https://api.slack.com/apis/rate-limits). Default: no limit.
         */
        public Builder messageRatePerChannel(Duration minInterval) {
            messageRatePerChannel = requirePositive(minInterval);
            return this;
        }

        /** Starts the simulator. */
        public SlackSimulator start() {
            return new SlackSimulator(SimulatorCore.start(new Settings(
                    clock,
                    ackTimeout,
                    maxRetries,
                    eventsTimeout,
                    eventsRetryDelays,
                    closeGrace,
                    socketUrlTtl,
                    maxSocketModeConnections,
                    recordFrames,
                    messageRatePerChannel)));
        }
    }
}
