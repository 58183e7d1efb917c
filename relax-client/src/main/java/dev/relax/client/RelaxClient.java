/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client;

import dev.relax.client.internal.CallTracker;
import dev.relax.client.internal.ClientTracing;
import dev.relax.client.internal.MicrometerMeters;
import dev.relax.client.internal.RedisConnection;
import dev.relax.client.internal.RedisConnections;
import dev.relax.client.internal.RegistrationStore;
import dev.relax.client.internal.RelaxMeters;
import dev.relax.client.internal.RtmCommands;
import dev.relax.client.internal.RtmFrames;
import dev.relax.core.RelaxConfig;
import dev.relax.core.RelaxException;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.CallRequest;
import dev.relax.core.protocol.Installation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The app's side of Relax: registers bots with the brokers, sends messages through them, and consumes
 * their events. Speaks exactly the Redis protocol of {@code docs/protocol.md}, so Go brokers act on it
 * too. Thread-safe; share one per app and close it on shutdown.
 *
 * <pre>{@code
 * try (RelaxClient relax = RelaxClient.fromEnv(System.getenv());
 *         EventConsumer consumer = relax.consumer()
 *                 .on(MessageNew.class, m -> relax.sendMessage(m.teamUid(), m.channelUid(), "echo: " + m.text()))
 *                 .start()) {
 *     relax.startBot("T024BE7LD", "xoxb-...");
 *     ...
 * } // the consumer stops first (its handlers may finish for 10 s), then the client closes
 * }</pre>
 *
 * <p>The client makes its Redis connections with a Lettuce {@link RedisClient} of its own, or with the
 * application's ({@link Builder#redisClient(RedisClient)}, {@link Builder#clientResources(ClientResources)}):
 * it shuts down only what it created. When the configuration names a Redis Cluster
 * ({@link dev.relax.core.RedisAddress.Mode#CLUSTER}) it uses a Lettuce {@code RedisClusterClient} of its own.
 */
public final class RelaxClient implements AutoCloseable {
    /** How long a call's result future waits by default: one day (see {@link Builder#callResultTimeout}). */
    public static final Duration DEFAULT_CALL_RESULT_TIMEOUT = Duration.ofDays(1);

    private final RelaxConfig config;
    private final RedisConnections redis;
    private final RedisConnection commands;

    private final RegistrationStore registrations;
    private final RtmCommands rtm;
    /** Completes the results of Web API calls; subscribes on first use. */
    private final CallTracker calls;

    private final OpenTelemetry openTelemetry;
    private final RelaxMeters meters;

    private RelaxClient(Builder builder) {
        this.config = builder.config;
        this.meters = builder.meters;
        this.openTelemetry = builder.openTelemetry; // null: the global one, read when a consumer starts
        this.redis = RedisConnections.to(config.redis(), builder.redisClient, builder.clientResources);
        this.commands = redis.connectFirst();
        this.registrations = new RegistrationStore(config, commands);
        this.rtm = new RtmCommands(commands, config.botsPubsub());
        this.calls =
                new CallTracker(redis::connectPubSub, commands, config.callsKey(), builder.callResultTimeout, meters);
    }

    /**
     * A client for the deployment {@code config} describes (its four keys and Redis; the Slack settings
     * are the broker's and are ignored here). Connects to Redis at once and fails if it cannot.
     */
    public static RelaxClient create(RelaxConfig config) {
        return builder(config).build();
    }

    /**
     * A builder for a client with settings beyond {@code config}'s:
     *
     * <pre>{@code
     * RelaxClient relax = RelaxClient.builder(config).callResultTimeout(Duration.ofMinutes(5)).build();
     * }</pre>
     */
    public static Builder builder(RelaxConfig config) {
        return new Builder(Objects.requireNonNull(config, "config"));
    }

    /** The client's own settings; {@link #build()} connects. */
    public static final class Builder {
        private final RelaxConfig config;
        private Duration callResultTimeout = DEFAULT_CALL_RESULT_TIMEOUT;
        private RedisClient redisClient;
        private ClientResources clientResources;
        private OpenTelemetry openTelemetry;
        /** NONE unless given a registry; the consumers' default too. */
        private RelaxMeters meters = RelaxMeters.NONE;

        private Builder(RelaxConfig config) {
            this.config = config;
        }

        /**
         * How long the future of a Web API call ({@link SlackCall#result()}) waits for its result before it
         * fails with a {@link RelaxException} that names the call (default one day: a call still unmade
         * after a day means no broker serves the calls stream, and an app should know). It bounds the
         * memory that calls no broker makes hold in this client. The call itself is not cancelled: a broker may still make it later, and
         * {@link RelaxClient#callResult(String)} then finds its result. The failure comes within about ten
         * seconds after the timeout (or about the timeout, for shorter ones).
         */
        public Builder callResultTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("callResultTimeout must be positive, was " + timeout);
            }
            this.callResultTimeout = timeout;
            return this;
        }

        /**
         * Makes every Redis connection (the client's and its consumers') with the application's Lettuce
         * {@code client} (its options and resources), to the configuration's Redis (address, password,
         * database, TLS). {@link RelaxClient#close()} closes those connections and leaves {@code client}
         * running. Instead of {@link #clientResources(ClientResources)}; not for a Redis Cluster, which
         * {@link #build()} refuses (a {@code RedisClient} reaches one server).
         */
        public Builder redisClient(RedisClient client) {
            this.redisClient = Objects.requireNonNull(client, "redisClient");
            return this;
        }

        /**
         * Builds the client's own Lettuce client on the application's {@code resources} (event loops, timers),
         * so that Relax starts no thread pools of its own. {@link RelaxClient#close()} shuts down that Lettuce
         * client and leaves {@code resources} running. Instead of {@link #redisClient(RedisClient)}.
         */
        public Builder clientResources(ClientResources resources) {
            this.clientResources = Objects.requireNonNull(resources, "clientResources");
            return this;
        }

        /**
         * Where its consumers' spans go (docs/operations.md, "Traces"). When not given, the global one as it
         * is when each consumer starts ({@link GlobalOpenTelemetry#getOrNoop()}, which never sets it): a no-op
         * unless the application or an agent registered an SDK. Calls carry the current span's context
         * whichever is given.
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /**
         * Reports this client's Web API calls, and its consumers' meters unless they are given another, to
         * {@code registry} (docs/operations.md, "Client metrics"). Without it no Micrometer class is loaded.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meters = new MicrometerMeters(registry);
            return this;
        }

        /** A client with these settings; connects to Redis at once and fails if it cannot. */
        public RelaxClient build() {
            return new RelaxClient(this);
        }
    }

    /** A client configured from the same environment variables as the broker. */
    public static RelaxClient fromEnv(Map<String, String> env) {
        return create(RelaxConfig.fromEnv(env));
    }

    /** The configuration this client uses. */
    public RelaxConfig config() {
        return config;
    }

    /** Starts (or restarts, with a new token) a bot without a namespace. */
    public void startBot(String teamId, String token) {
        requireText(teamId, "teamId");
        requireText(token, "token");
        startBot(BotRegistration.of(teamId, token));
    }

    /**
     * Stores {@code registration} in the bots hash and publishes {@code team_added}, atomically (one script),
     * so that every broker (Go or Java) connects the bot. Also how a token is rotated.
     */
    public void startBot(BotRegistration registration) {
        Objects.requireNonNull(registration, "registration");
        requireText(registration.token().reveal(), "registration.token");
        registrations.startBot(registration);
    }

    /** Stops a bot without a namespace. */
    public void stopBot(String teamId) {
        requireText(teamId, "teamId");
        stopBot(BotId.of(teamId));
    }

    /**
     * Removes the bot's registration and publishes {@code team_removed}, atomically, in one script (the Ruby
     * client's order), so that every broker stops it.
     */
    public void stopBot(BotId bot) {
        registrations.stopBot(Objects.requireNonNull(bot, "bot"));
    }

    /** Every registered bot. Entries that are not valid registrations are logged and left out. */
    public List<BotRegistration> bots() {
        return registrations.bots();
    }

    /**
     * Stores a Slack app's registration in the apps hash and publishes {@code app_added},
     * atomically: brokers then hold its Socket Mode connections (when it has an app-level token) and
     * accept its Events API requests (when it has a signing secret). Also how an app token is rotated.
     */
    public void registerApp(AppRegistration app) {
        Objects.requireNonNull(app, "app");
        if (app.appToken().isEmpty() && app.signingSecret().isEmpty()) {
            throw new IllegalArgumentException("app " + app.appId()
                    + " has neither an app-level token (Socket Mode) nor a signing secret (Events API)");
        }
        registrations.registerApp(app);
    }

    /** Removes an app's registration and publishes {@code app_removed}; its installations stay. */
    public void removeApp(String appId) {
        requireText(appId, "appId");
        registrations.removeApp(appId);
    }

    /** Every registered app. Entries that are not valid registrations are logged and left out. */
    public List<AppRegistration> apps() {
        return registrations.apps();
    }

    /**
     * Stores an app's installation in a workspace (what {@code oauth.v2.access} returned) and publishes
     * {@code installation_added}, atomically (one script): brokers name {@code relax_bot_uid} from it and call
     * the Web API with its token. Also how a bot token is rotated.
     */
    public void addInstallation(Installation installation) {
        Objects.requireNonNull(installation, "installation");
        requireText(installation.botToken().reveal(), "installation.botToken");
        registrations.addInstallation(installation);
    }

    /** Removes an app's installation in a workspace and publishes {@code installation_removed}. */
    public void removeInstallation(String appId, String teamId) {
        requireText(appId, "appId");
        requireText(teamId, "teamId");
        registrations.removeInstallation(appId, teamId);
    }

    /** The installation of {@code appId} in {@code teamId}, if stored and valid. */
    public Optional<Installation> installation(String appId, String teamId) {
        return registrations.installation(appId, teamId);
    }

    /** Posts {@code text} in {@code channel} through the bot of {@code teamId}; returns the command id. */
    public String sendMessage(String teamId, String channel, String text) {
        requireText(teamId, "teamId");
        return sendMessage(BotId.of(teamId), channel, text);
    }

    /**
     * Posts {@code text} in {@code channel} through {@code bot}'s RTM socket: publishes a {@code message}
     * command whose payload is the RTM frame {@code {"id":n,"type":"message","channel":...,"text":...}}.
     * Exactly one broker that holds the bot sends it. Returns the command's id.
     */
    public String sendMessage(BotId bot, String channel, String text) {
        Objects.requireNonNull(bot, "bot");
        requireText(channel, "channel");
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("text must not be empty");
        }
        return rtm.send(bot, RtmFrames.message(channel, text));
    }

    /** Shows "typing…" in {@code channel}, as the Ruby client does; returns the command id. */
    public String sendTyping(BotId bot, String channel) {
        Objects.requireNonNull(bot, "bot");
        requireText(channel, "channel");
        return rtm.send(bot, RtmFrames.typing(channel));
    }

    /** Publishes a {@code message} command with a raw RTM frame as payload; returns the command id. */
    public String sendRawFrame(BotId bot, String rtmFrameJson) {
        Objects.requireNonNull(bot, "bot");
        requireText(rtmFrameJson, "rtmFrameJson");
        return rtm.send(bot, rtmFrameJson);
    }

    /**
     * Queues a Web API call for the brokers to make with the app's bot token ({@code XADD} on the calls
     * stream, see docs/protocol.md): durable, paced per channel across the fleet, retried on rate limits
     * and Slack outages, made in order per channel. Needs the installation {@code <appId>:<teamId>} in the
     * installations hash.
     */
    public SlackCall call(WebApiCall call) {
        Objects.requireNonNull(call, "call");
        String id = UUID.randomUUID().toString();
        CallRequest request = new CallRequest(
                id,
                call.appId(),
                call.teamId(),
                call.method(),
                call.channel(),
                CallRequest.paramsJson(call.params()),
                System.currentTimeMillis(),
                ClientTracing.currentTraceparent());
        return new SlackCall(id, calls.queue(request));
    }

    /** Posts {@code text} in {@code channel} as the app's bot in workspace {@code teamId} (chat.postMessage). */
    public SlackCall postMessage(String appId, String teamId, String channel, String text) {
        requireText(text, "text");
        return call(WebApiCall.postMessage(appId, teamId, channel).text(text).build());
    }

    /**
     * Answers {@code event} in its channel, whatever the transport, and the result means the same for both:
     * Slack took the message, and here is its {@code ts} (or Slack's error). For an event of a Slack app
     * ({@link RelaxEvent#appId()} not empty) a chat.postMessage through the calls stream; for an RTM bot's
     * event the {@code message} command, whose broker stores RTM's answer to the frame ({@code
     * {"ok":true,"reply_to":…,"ts":…}}, https://api.slack.com/rtm#sending_messages) as the result. With no
     * broker subscribed, the result is at once {@code ok=false}, error {@code no_broker}; a broker whose
     * socket dies before RTM answers gives {@code no_reply} (the message may or may not be in Slack). An
     * RTM reply's result is published, not stored (an RTM-only deployment keeps exactly the Go broker's
     * keys), so {@link #callResult} does not know it, and it is missed if this client's subscription is
     * down at that moment. Go brokers give no result: against one, an RTM reply's result never completes.
     *
     * <pre>{@code
     * relax.consumer().on(MessageNew.class, m -> relax.reply(m, "on it!")).start();
     * }</pre>
     */
    public SlackCall reply(RelaxEvent event, String text) {
        Objects.requireNonNull(event, "event");
        requireText(text, "text");
        String channel = event.wire().channelUid();
        requireText(channel, "the event's channel");
        if (!event.appId().isEmpty()) {
            return postMessage(event.appId(), event.teamUid(), channel, text);
        }
        String id = UUID.randomUUID().toString();
        return new SlackCall(id, rtm.reply(new BotId(event.teamUid(), event.namespace()), id, channel, text, calls));
    }

    /** The result of call {@code id} if a broker finished it within the last day. */
    public Optional<CallResult> callResult(String id) {
        requireText(id, "id");
        return calls.stored(id);
    }

    /** A builder for an {@link EventConsumer} of this client's events queue. */
    public EventConsumer.Builder consumer() {
        return new EventConsumer.Builder(redis, config.eventsQueue(), openTelemetry, meters);
    }

    /**
     * Closes the Redis connections, and shuts down the Lettuce client if this client created it (not one
     * given to {@link Builder#redisClient}); the result futures of calls still pending fail (the calls are
     * not cancelled). Consumers built from this client must be stopped first (try-with-resources closes
     * them first when they are declared after the client).
     */
    @Override
    public void close() {
        calls.close();
        meters.close();
        commands.close();
        redis.close();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
