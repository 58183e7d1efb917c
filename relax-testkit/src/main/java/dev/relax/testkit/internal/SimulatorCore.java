/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.testkit.StreamedMessage;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's composition root and lifecycle: owns the Jetty server (HTTP and websockets on
 * 127.0.0.1, a free port), the timer thread, the HTTP client of the Events API, and all workspace and
 * app state. Everything it creates it closes.
 */
public final class SimulatorCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorCore.class);
    private static final String HOST = "127.0.0.1";

    private final Settings settings;
    private final Ids ids;
    private final Tokens tokens = new Tokens();
    private final Faults faults;
    private final Recorder recorder;
    private final Tickets tickets;
    private final Map<String, TeamState> teams = new ConcurrentHashMap<>();
    private final Map<String, AppState> apps = new ConcurrentHashMap<>();
    private final Map<String, OrgState> orgs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final EventsApiSender sender;
    private final Conversations conversations;
    private final Server server;
    private final ServerConnector connector;

    private SimulatorCore(Settings settings) {
        this.settings = settings;
        this.ids = new Ids(settings.clock());
        this.faults = new Faults(settings.clock());
        this.recorder = new Recorder(settings.clock());
        this.tickets = new Tickets(settings.clock(), settings.socketUrlTtl(), ids);
        String instance = Integer.toHexString(System.identityHashCode(this));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "slack-simulator-" + instance + "-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.scheduler = timer;
        this.httpThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "slack-simulator-" + instance + "-events");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.eventsTimeout())
                .executor(httpThreads)
                .build();
        this.sender = new EventsApiSender(http, scheduler, settings, recorder, ids);
        this.conversations = new Conversations(ids, new EventRouter(settings.clock()));
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("slack-simulator-" + instance);
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.connector = new ServerConnector(server);
        connector.setHost(HOST);
        connector.setPort(0);
        server.addConnector(connector);
        server.setStopTimeout(0);
        WebSocketRoutes routes = new WebSocketRoutes(this);
        WebSocketUpgradeHandler websockets = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(Duration.ofHours(1));
            container.setMaxTextMessageSize(1 << 20);
            container.addMapping("/websocket/*", routes.rtm());
            container.addMapping("/link/*", routes.socketMode());
        });
        websockets.setHandler(new Handler.Sequence(
                new AuthorizePage(this), new WebApiHandler(new WebApi(this), recorder, ids, faults)));
        server.setHandler(websockets);
    }

    /** Starts a simulator on a free loopback port. */
    public static SimulatorCore start(Settings settings) {
        SimulatorCore core = new SimulatorCore(settings);
        try {
            core.server.start();
        } catch (Exception e) {
            core.close();
            throw new IllegalStateException("cannot start the Slack simulator", e);
        }
        LOG.debug("Slack simulator listening on {}", core.baseUrl());
        return core;
    }

    public String baseUrl() {
        return "http://" + HOST + ":" + connector.getLocalPort();
    }

    /** A websocket URL on this simulator for {@code pathAndQuery}. */
    public String socketUrl(String pathAndQuery) {
        return "ws://" + HOST + ":" + connector.getLocalPort() + pathAndQuery;
    }

    public Settings settings() {
        return settings;
    }

    public Ids ids() {
        return ids;
    }

    public Tokens tokens() {
        return tokens;
    }

    public Faults faults() {
        return faults;
    }

    public Recorder recorder() {
        return recorder;
    }

    public Tickets tickets() {
        return tickets;
    }

    public Conversations conversations() {
        return conversations;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public EventsApiSender sender() {
        return sender;
    }

    /** The workspace, created on first use. */
    public TeamState team(String id, String name, String domain) {
        return teams.computeIfAbsent(id, key -> new TeamState(key, name, domain, ids.epochSeconds()));
    }

    /** The workspace, or {@code null}. */
    public TeamState team(String id) {
        return teams.get(id);
    }

    /** Every workspace. */
    public Collection<TeamState> teams() {
        return teams.values();
    }

    /** The Enterprise Grid organization, created on first use. */
    public OrgState org(String id, String name) {
        return orgs.computeIfAbsent(id, key -> new OrgState(key, name));
    }

    /** The organization, or {@code null}. */
    public OrgState org(String id) {
        return id == null ? null : orgs.get(id);
    }

    public Collection<OrgState> orgs() {
        return orgs.values();
    }

    /** The workspaces of an organization, by team id. */
    public List<TeamState> teamsOf(String enterpriseId) {
        return teams.values().stream()
                .filter(team -> team.enterpriseId().equals(enterpriseId))
                .sorted(java.util.Comparator.comparing(TeamState::id))
                .toList();
    }

    /** The app, created on first use. */
    public AppState createApp(String id) {
        return apps.computeIfAbsent(
                id, key -> new AppState(key, ids, sender, new SocketModeDispatcher(key, settings, scheduler, ids)));
    }

    /** The app, or {@code null}. */
    public AppState app(String id) {
        return id == null ? null : apps.get(id);
    }

    public Collection<AppState> apps() {
        return apps.values();
    }

    public List<StreamedMessage> streams() {
        return teams.values().stream()
                .flatMap(team -> team.streams().stream())
                .map(StreamState::snapshot)
                .toList();
    }

    /**
     * Makes later calls with {@code token} fail with {@code state}'s error and closes its sockets. Revoking
     * a rotating token ends its whole chain: every access token issued under it and its refresh token.
     */
    public void disable(String token, Tokens.State state) {
        List<Tokens.Grant> grants =
                state == Tokens.State.REVOKED ? tokens.revoke(token) : List.of(tokens.setState(token, state));
        grants.forEach(grant -> closeSockets(grant, state.error()));
    }

    private void closeSockets(Tokens.Grant grant, String reason) {
        if (grant.kind() == Tokens.Kind.APP_LEVEL) {
            AppState app = app(grant.appId());
            if (app != null) {
                app.socketMode().connections().stream()
                        .filter(connection -> connection.token().equals(grant.token()))
                        .forEach(connection -> connection.close(StatusCode.NORMAL, reason));
            }
            return;
        }
        TeamState team = team(grant.teamId());
        if (team != null) {
            team.rtmConnections().stream()
                    .filter(connection -> connection.token().equals(grant.token()))
                    .forEach(connection -> connection.close(StatusCode.NORMAL, reason));
        }
    }

    /** Runs {@code action} after {@code delay} on the timer thread. */
    public void later(Duration delay, Runnable action) {
        scheduler.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        int port = connector.getLocalPort();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the Slack simulator failed", e);
        }
        scheduler.shutdownNow();
        http.shutdownNow();
        httpThreads.shutdownNow();
        LOG.debug("Slack simulator on port {} stopped", port);
    }
}
