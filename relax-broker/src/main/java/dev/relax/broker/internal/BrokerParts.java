/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.BrokerOptions;
import dev.relax.broker.internal.apps.AppContext;
import dev.relax.broker.internal.apps.AppDirectory;
import dev.relax.broker.internal.apps.AppEventTranslator;
import dev.relax.broker.internal.apps.AppFleet;
import dev.relax.broker.internal.calls.CallQueue;
import dev.relax.broker.internal.calls.ResultPublisher;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.http.ReadyDocument;
import dev.relax.broker.internal.http.SlackEventsHandler;
import dev.relax.broker.internal.oauth.OAuthAccess;
import dev.relax.broker.internal.oauth.OAuthBackend;
import dev.relax.broker.internal.oauth.OAuthStore;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.redis.Leases;
import dev.relax.broker.internal.redis.RedisConnections;
import dev.relax.broker.internal.redis.RtmLeases;
import dev.relax.broker.internal.redis.SendClaims;
import dev.relax.broker.internal.rotation.RefreshScan;
import dev.relax.broker.internal.rotation.TokenRefresher;
import dev.relax.broker.internal.slack.Backoff;
import dev.relax.broker.internal.slack.Fleet;
import dev.relax.broker.internal.slack.RtmContext;
import dev.relax.broker.internal.slack.RtmReplicas;
import dev.relax.broker.internal.slack.RtmSettings;
import dev.relax.broker.internal.slack.RtmTranslator;
import dev.relax.core.RelaxConfig;
import dev.relax.core.json.RelaxJson;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a broker that need Redis, wired together once Redis first answered: the event writer, the
 * RTM bots ({@link Fleet}), the Slack apps ({@link AppDirectory}, {@link AppFleet}) and, once serving,
 * the calls queue. Made by the startup thread; {@link #stop()} stops them in the order that loses nothing.
 */
public final class BrokerParts {
    private static final Logger log = LoggerFactory.getLogger(BrokerParts.class);

    /** How long an {@code oauth.v2.access} exchange may take; the person waits on the page meanwhile. */
    private static final Duration OAUTH_TIMEOUT = Duration.ofSeconds(10);

    private final Duration shutdownTimeout;
    private final EventWriter events;
    private final Fleet fleet;
    /** Null unless {@code RELAX_RTM_REPLICAS} is set: then bots run here only under a replica lease. */
    private final RtmReplicas replicas;

    private final AppDirectory apps;
    private final AppFleet appFleet;
    /** What the Events API endpoints need: made once, the same for every request. */
    private final SlackEventsHandler.Backend slackBackend;
    /** What the install endpoints need: made once. */
    private final OAuthBackend oauthBackend;
    /** Refreshes rotating tokens before they expire; started by {@link #serve}. */
    private final RefreshScan tokens;
    /** Set by {@link #serve}. */
    private volatile CallQueue calls;

    /**
     * Wires the parts on {@code redis}'s connections (open) and starts the event writer.
     *
     * @param clock wall time, for event timestamps and request ages
     * @param ticker {@link System#nanoTime()} in production: socket silence, lease validity
     */
    public BrokerParts(
            RelaxConfig config,
            BrokerOptions options,
            String brokerId,
            Clock clock,
            LongSupplier ticker,
            BrokerMetrics metrics,
            ObjectMapper json,
            RedisConnections redis,
            SlackIo io) {
        this.shutdownTimeout = options.shutdownTimeout();
        RedisCommands<String, String> commands = redis.commands().sync();
        events = new EventWriter(
                redis.events(),
                config.eventsQueue(),
                config.mutexKey(),
                config.mutexMode(),
                options.dedupeTtl(),
                options.bufferSize(),
                options.batchSize(),
                options.writeLinger(),
                metrics,
                io.tracing());
        events.start();
        Backoff backoff = new Backoff(options.backoffInitial(), options.backoffMax());
        RtmContext rtm = new RtmContext(
                new RtmSettings(
                        options.rtmMethod(),
                        options.pingInterval(),
                        options.maxMissedPongs(),
                        backoff,
                        options.mentionsAndDmsOnly(),
                        1000),
                io.api(),
                io.rtmTransport(),
                new RtmTranslator(clock, config.sendBotReplies(), json.getFactory()),
                events,
                new SendClaims(redis.commands(), config.mutexKey(), config.mutexMode(), options.dedupeTtl(), brokerId),
                io.timers(),
                io.workers(),
                new Semaphore(options.loginConcurrency()),
                metrics,
                json,
                clock,
                field -> {
                    String stored = commands.hget(config.botsKey(), field);
                    return stored == null ? null : RelaxJson.decodeRegistration(stored, config.encryptionKeys());
                },
                ticker,
                new ResultPublisher(commands, config.callsKey())::publish);
        fleet = new Fleet(
                rtm, config.botsKey(), options.startJitter(), config.encryptionKeys(), options.rtmReplicas() > 0);
        replicas = options.rtmReplicas() == 0
                ? null
                : new RtmReplicas(
                        fleet,
                        new RtmLeases(commands, config.botsKey(), brokerId, options.rtmReplicas()),
                        options.appLeaseTtl(),
                        io.timers(),
                        io.workers(),
                        ticker,
                        metrics,
                        options.rtmReplicas());
        OAuthStore oauthStore = new OAuthStore(commands, config);
        apps = new AppDirectory(
                field -> commands.hget(config.installationsKey(), field),
                config.encryptionKeys(),
                oauthStore::remove,
                oauthStore::noteOrgTeam);
        oauthBackend =
                new OAuthBackend(apps, oauthStore, new OAuthAccess(io.http(), config.slackHost(), json, OAUTH_TIMEOUT));
        AppEventTranslator appEvents = new AppEventTranslator(rtm.translator(), clock);
        appFleet = new AppFleet(new AppContext(
                config.appsKey(),
                io.api(),
                io.appTransport(),
                appEvents,
                apps,
                events,
                new Leases(redis.commands(), brokerId),
                io.timers(),
                io.workers(),
                metrics,
                json,
                clock,
                options.appLeaseTtl(),
                options.pingInterval(),
                options.maxMissedPongs(),
                backoff,
                ticker));
        slackBackend = new SlackEventsHandler.Backend(apps, appEvents, events, io.tracing());
        tokens = RefreshScan.create(
                config,
                commands,
                io.http(),
                json,
                appEvents,
                events,
                metrics,
                clock,
                brokerId,
                options.tokenRefreshMargin(),
                options.tokenRefreshInterval(),
                io.timers(),
                io.workers());
    }

    /** What a Web API call that met {@code token_expired} renews its installation's token with. */
    public TokenRefresher tokenRefresher() {
        return tokens.refresher();
    }

    public Fleet fleet() {
        return fleet;
    }

    public AppFleet appFleet() {
        return appFleet;
    }

    /** Starts the Socket Mode apps' ticks, the token refreshes and {@code calls}, which {@link #stop()} closes. */
    public void serve(CallQueue calls) {
        appFleet.start();
        if (replicas != null) {
            replicas.start();
        }
        tokens.start();
        this.calls = calls;
        calls.start();
    }

    public boolean eventsHealthy() {
        return events.healthy();
    }

    /** What the Events API endpoints need. */
    public SlackEventsHandler.Backend slackBackend() {
        return slackBackend;
    }

    /** What the install endpoints need. */
    public OAuthBackend oauthBackend() {
        return oauthBackend;
    }

    /** The {@code /ready} document, given whether the broker is ready and its subscription open. */
    public ReadyDocument readiness(boolean ready, boolean subscriptionOpen) {
        return new ReadyDocument(
                ready,
                events.healthy() && subscriptionOpen,
                events.depth(),
                ReadyDocument.byName(fleet.countByState()),
                apps.apps().size(),
                appFleet.openConnections());
    }

    /**
     * Lets the calls sent to Slack finish (up to the shutdown timeout), closes every socket with 1000 (so
     * no more frames are read), then pushes the events still in memory to Redis (up to the timeout again).
     * Call once no command can start a bot any more.
     */
    public void stop() {
        tokens.close();
        CallQueue c = calls;
        if (c != null) {
            c.close();
        }
        fleet.stopAll("broker shutting down");
        if (replicas != null) {
            replicas.stopAll(); // once the sockets are closed
        }
        appFleet.stopAll("broker shutting down");
        if (!events.flush(shutdownTimeout)) {
            log.error("{} events could not be written to Redis within {}", events.depth(), shutdownTimeout);
        }
        events.close();
    }
}
