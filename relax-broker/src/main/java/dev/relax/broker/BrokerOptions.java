/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker;

import java.time.Duration;
import java.util.Map;

/**
 * The broker's own settings beyond the shared {@link dev.relax.core.RelaxConfig}: timings, limits and
 * switches, each with a production default. Immutable; build them with {@link #builder()} (or change a
 * copy with {@link #mutate()}), or read the {@code RELAX_*} variables with {@link #fromEnv(Map)}: all
 * optional, all ours (the Go broker has none of them). docs/operations.md lists every variable, its
 * default and what it is for, and explains the limits of the Slack endpoints.
 *
 * <pre>{@code
 * BrokerOptions options = BrokerOptions.builder()
 *         .httpHost("127.0.0.1")
 *         .pingInterval(Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 */
public final class BrokerOptions {
    /** {@link #managementPort()} when there is none: health and metrics are on {@code PORT} only. */
    public static final int NO_MANAGEMENT_PORT = -1;

    /** The default largest body of a request to {@code /slack/...}: 2 MiB (docs/operations.md says why). */
    public static final int DEFAULT_HTTP_MAX_BODY = 2 << 20;
    /** A {@code url_verification} request is about 150 bytes; a limit below this could refuse Slack's own. */
    static final int MIN_HTTP_MAX_BODY = 4096;
    /** The largest limit that can be set: a body is one array in memory. */
    static final int MAX_HTTP_MAX_BODY = 64 << 20;

    /** The library behind the broker's websockets (RTM and Socket Mode); see docs/performance.md. */
    public enum WebSocketLibrary {
        /** Netty for RTM bots (thousands of sockets), nv-websocket-client for Socket Mode (a few). */
        AUTO,
        /** nv-websocket-client: two threads per socket. */
        NV,
        /** The JDK's java.net.http.WebSocket: one selector thread for every socket. */
        JDK,
        /** Netty (which Lettuce brings): a few event-loop threads and pooled buffers for every socket. */
        NETTY
    }

    /** The values, checked; a copy that no builder holds. */
    private final Builder v;

    private BrokerOptions(Builder checked) {
        this.v = checked.copy();
    }

    /** The production defaults. */
    public static BrokerOptions defaults() {
        return builder().build();
    }

    /** A builder with the production defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder mutate() {
        return v.copy();
    }

    /** The defaults overridden by the {@code RELAX_*} variables (docs/operations.md); names a malformed one. */
    public static BrokerOptions fromEnv(Map<String, String> env) {
        return new EnvReader(env).brokerOptions(builder()).build();
    }

    /** Time between pings on each socket ({@code RELAX_PING_INTERVAL}, 5 s). */
    public Duration pingInterval() {
        return v.pingInterval;
    }

    /** Unanswered pings, with no frame at all for as long, that mean a dead socket (3). */
    public int maxMissedPongs() {
        return v.maxMissedPongs;
    }

    /** The first ceiling of the random retry delay, doubled after each failure (1.5 s). */
    public Duration backoffInitial() {
        return v.backoffInitial;
    }

    /** The largest ceiling of the random retry delay (60 s). */
    public Duration backoffMax() {
        return v.backoffMax;
    }

    /** Bots logging in at the same time (64). */
    public int loginConcurrency() {
        return v.loginConcurrency;
    }

    /** At start-up, each bot's first login waits a random time up to this (2 s). */
    public Duration startJitter() {
        return v.startJitter;
    }

    /** How long a dedupe key lives (10 min). */
    public Duration dedupeTtl() {
        return v.dedupeTtl;
    }

    /** Events kept in memory while Redis is unreachable (100,000). */
    public int bufferSize() {
        return v.bufferSize;
    }

    /** Events the event writer pushes to Redis in one call at most (512). */
    public int batchSize() {
        return v.batchSize;
    }

    /** {@code rtm.connect} (default) or {@code rtm.start}. */
    public String rtmMethod() {
        return v.rtmMethod;
    }

    /** Whether {@code message_new} is reported only for DMs and mentions of the bot (false). */
    public boolean mentionsAndDmsOnly() {
        return v.mentionsAndDmsOnly;
    }

    /**
     * Whether the broker runs its per-frame work over sample frames at start (true), so that the JIT has
     * compiled it before the first events: see docs/operations.md, {@code RELAX_WARMUP}.
     */
    public boolean warmup() {
        return v.warmup;
    }

    /** The address the HTTP servers bind ({@code 0.0.0.0}). */
    public String httpHost() {
        return v.httpHost;
    }

    /** The largest body, in bytes, of a request to {@code /slack/...} ({@link #DEFAULT_HTTP_MAX_BODY}). */
    public int httpMaxBody() {
        return v.httpMaxBody;
    }

    /** Requests to {@code /slack/...} handled at once once their body is in; also sizes the body budget (32). */
    public int httpMaxInFlight() {
        return v.httpMaxInFlight;
    }

    /** How long shutdown lets sent Web API calls finish, then again pushes pending events (10 s). */
    public Duration shutdownTimeout() {
        return v.shutdownTimeout;
    }

    /**
     * How long a Socket Mode connection lease, or an RTM replica lease ({@link #rtmReplicas()}), outlives a
     * broker that stopped renewing it (10 s).
     */
    public Duration appLeaseTtl() {
        return v.appLeaseTtl;
    }

    /**
     * Brokers that hold each RTM bot, each under a lease in Redis that lasts {@link #appLeaseTtl()}
     * ({@code RELAX_RTM_REPLICAS}); 0, the default, runs every bot on every broker, as the Go broker does.
     */
    public int rtmReplicas() {
        return v.rtmReplicas;
    }

    /** The fleet-wide pause between Web API calls of one method to one channel (1 s). */
    public Duration callInterval() {
        return v.callInterval;
    }

    /** Tries of a Web API call before its result is an error (10). */
    public int callMaxAttempts() {
        return v.callMaxAttempts;
    }

    /** How long the calls of a broker that stopped refreshing them wait before another takes them (30 s). */
    public Duration callClaimIdle() {
        return v.callClaimIdle;
    }

    /** The websocket library for RTM and Socket Mode ({@link WebSocketLibrary#AUTO}). */
    public WebSocketLibrary websocket() {
        return v.websocket;
    }

    /** How long the event writer waits to fill a batch once its first event is in (zero: at once). */
    public Duration writeLinger() {
        return v.writeLinger;
    }

    /** Calls this broker takes anew from the calls stream while it holds fewer (512). */
    public int callMaxHeld() {
        return v.callMaxHeld;
    }

    /** The port serving only {@code /}, {@code /ready}, {@code /metrics}, or {@link #NO_MANAGEMENT_PORT}. */
    public int managementPort() {
        return v.managementPort;
    }

    /** Refresh a rotating token this long before it expires (600 s); 0: only once expired. */
    public Duration tokenRefreshMargin() {
        return v.tokenRefreshMargin;
    }

    /** How often each broker looks for rotating tokens to refresh (15 s, jittered). */
    public Duration tokenRefreshInterval() {
        return v.tokenRefreshInterval;
    }

    /** Equal when every value is: options are values, as they were when this class was a record. */
    @Override
    public boolean equals(Object o) {
        return o instanceof BrokerOptions other && BrokerOptionsValues.of(this).equals(BrokerOptionsValues.of(other));
    }

    @Override
    public int hashCode() {
        return BrokerOptionsValues.of(this).hashCode();
    }

    /** {@code BrokerOptions[pingInterval=PT5S, ...]}: every value, named, as the record printed them. */
    @Override
    public String toString() {
        return BrokerOptionsValues.text(this);
    }

    /**
     * Builds {@link BrokerOptions}, starting from the production defaults; {@link #build()} checks every
     * value and names the one that is wrong ({@link dev.relax.core.RelaxException}). Each setter's option is described on its accessor.
     */
    public static final class Builder implements Cloneable {
        private Duration pingInterval = Duration.ofSeconds(5);
        private int maxMissedPongs = 3;
        private Duration backoffInitial = Duration.ofMillis(1500);
        private Duration backoffMax = Duration.ofSeconds(60);
        private int loginConcurrency = 64;
        private Duration startJitter = Duration.ofSeconds(2);
        private Duration dedupeTtl = Duration.ofMinutes(10);
        private int bufferSize = 100_000;
        private int batchSize = 512;
        private String rtmMethod = "rtm.connect";
        private boolean mentionsAndDmsOnly;
        private boolean warmup = true;
        private String httpHost = "0.0.0.0";
        private int httpMaxBody = DEFAULT_HTTP_MAX_BODY;
        private int httpMaxInFlight = 32;
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private Duration appLeaseTtl = Duration.ofSeconds(10);
        private int rtmReplicas;
        private Duration callInterval = Duration.ofSeconds(1);
        private int callMaxAttempts = 10;
        private Duration callClaimIdle = Duration.ofSeconds(30);
        private WebSocketLibrary websocket = WebSocketLibrary.AUTO;
        private Duration writeLinger = Duration.ZERO;
        private int callMaxHeld = 512;
        private int managementPort = NO_MANAGEMENT_PORT;
        private Duration tokenRefreshMargin = Duration.ofMinutes(10);
        private Duration tokenRefreshInterval = Duration.ofSeconds(15);

        private Builder() {}

        /** See {@link BrokerOptions#pingInterval()}. */
        public Builder pingInterval(Duration v) {
            pingInterval = v;
            return this;
        }

        /** See {@link BrokerOptions#maxMissedPongs()}. */
        public Builder maxMissedPongs(int v) {
            maxMissedPongs = v;
            return this;
        }

        /** See {@link BrokerOptions#backoffInitial()} and {@link BrokerOptions#backoffMax()}. */
        public Builder backoff(Duration initial, Duration max) {
            backoffInitial = initial;
            backoffMax = max;
            return this;
        }

        /** See {@link BrokerOptions#loginConcurrency()}. */
        public Builder loginConcurrency(int v) {
            loginConcurrency = v;
            return this;
        }

        /** See {@link BrokerOptions#startJitter()}. */
        public Builder startJitter(Duration v) {
            startJitter = v;
            return this;
        }

        /** See {@link BrokerOptions#dedupeTtl()}. */
        public Builder dedupeTtl(Duration v) {
            dedupeTtl = v;
            return this;
        }

        /** See {@link BrokerOptions#bufferSize()}. */
        public Builder bufferSize(int v) {
            bufferSize = v;
            return this;
        }

        /** See {@link BrokerOptions#batchSize()}. */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** See {@link BrokerOptions#rtmMethod()}. */
        public Builder rtmMethod(String v) {
            rtmMethod = v;
            return this;
        }

        /** See {@link BrokerOptions#mentionsAndDmsOnly()}. */
        public Builder mentionsAndDmsOnly(boolean v) {
            mentionsAndDmsOnly = v;
            return this;
        }

        /** See {@link BrokerOptions#warmup()}. */
        public Builder warmup(boolean v) {
            warmup = v;
            return this;
        }

        /** See {@link BrokerOptions#httpHost()}. */
        public Builder httpHost(String v) {
            httpHost = v;
            return this;
        }

        /** See {@link BrokerOptions#httpMaxBody()}. */
        public Builder httpMaxBody(int v) {
            httpMaxBody = v;
            return this;
        }

        /** See {@link BrokerOptions#httpMaxInFlight()}. */
        public Builder httpMaxInFlight(int v) {
            httpMaxInFlight = v;
            return this;
        }

        /** See {@link BrokerOptions#shutdownTimeout()}. */
        public Builder shutdownTimeout(Duration v) {
            shutdownTimeout = v;
            return this;
        }

        /** See {@link BrokerOptions#appLeaseTtl()}. */
        public Builder appLeaseTtl(Duration v) {
            appLeaseTtl = v;
            return this;
        }

        /** See {@link BrokerOptions#rtmReplicas()}. */
        public Builder rtmReplicas(int v) {
            rtmReplicas = v;
            return this;
        }

        /** See {@link BrokerOptions#callInterval()}. */
        public Builder callInterval(Duration v) {
            callInterval = v;
            return this;
        }

        /** See {@link BrokerOptions#callMaxAttempts()}. */
        public Builder callMaxAttempts(int v) {
            callMaxAttempts = v;
            return this;
        }

        /** See {@link BrokerOptions#callClaimIdle()}. */
        public Builder callClaimIdle(Duration v) {
            callClaimIdle = v;
            return this;
        }

        /** See {@link BrokerOptions#websocket()}. */
        public Builder websocket(WebSocketLibrary v) {
            websocket = v;
            return this;
        }

        /** See {@link BrokerOptions#writeLinger()}. */
        public Builder writeLinger(Duration v) {
            writeLinger = v;
            return this;
        }

        /** See {@link BrokerOptions#callMaxHeld()}. */
        public Builder callMaxHeld(int v) {
            callMaxHeld = v;
            return this;
        }

        /** See {@link BrokerOptions#managementPort()}; 0 for any free port. */
        public Builder managementPort(int v) {
            managementPort = v;
            return this;
        }

        /** See {@link BrokerOptions#tokenRefreshMargin()}. */
        public Builder tokenRefreshMargin(Duration v) {
            tokenRefreshMargin = v;
            return this;
        }

        /** See {@link BrokerOptions#tokenRefreshInterval()}. */
        public Builder tokenRefreshInterval(Duration v) {
            tokenRefreshInterval = v;
            return this;
        }

        /** The options; throws a {@link RelaxException} naming the first bad value. */
        public BrokerOptions build() {
            return BrokerOptionsRules.check(new BrokerOptions(this));
        }

        private Builder copy() {
            try {
                return (Builder) clone(); // every field is a primitive or immutable
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
