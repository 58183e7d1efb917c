/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import dev.relax.broker.internal.redis.RegistrationsHash;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Command;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket Mode apps of one broker. Every tick (a fifth of the lease TTL, at most a second) it brings
 * the apps in line with the {@link AppDirectory}: starts an app newly registered with an app-level
 * token, restarts one whose registration changed, stops one removed, and lets each renew and take its
 * leases. App commands and reconciliations arrive through {@link #apply} and {@link #reconcile}, as bot
 * commands do through {@code Fleet}. Ticks run on workers and never overlap ({@link #tickLock}), so a Redis command that hangs
 * delays the next tick; {@link #refresh()} runs one at once (after {@code app_added}).
 *
 * <p>The lease watchdog runs apart from ticks, on the timer thread, more often than ticks and without
 * touching Redis: it closes every connection whose lease could lapse soon ({@link
 * SocketModeApp#closeLapsing}), whatever Redis calls are hanging.
 */
public final class AppFleet {
    private static final Logger log = LoggerFactory.getLogger(AppFleet.class);

    private final AppContext ctx;
    private final Map<String, SocketModeApp> running = new ConcurrentHashMap<>();
    private final ReentrantLock tickLock = new ReentrantLock();
    /** Apps named by an {@code app_added} since the last tick: restarted if Slack had disabled them. */
    private final java.util.Set<String> reregistered = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;
    private volatile ScheduledFuture<?> ticker;
    private volatile ScheduledFuture<?> watchdog;
    private volatile long lastRedisWarningNanos;

    public AppFleet(AppContext ctx) {
        this.ctx = ctx;
        ctx.metrics().socketModeConnections(this::openConnections);
    }

    public void start() {
        long period = Math.max(100, Math.min(1000, ctx.leaseTtl().toMillis() / 5));
        ticker = ctx.timers()
                .scheduleWithFixedDelay(() -> ctx.workers().execute(this::tick), period, period, TimeUnit.MILLISECONDS);
        // A quarter of the safety margin (at most half a second): a connection is closed well before its
        // lease can lapse, even when the watchdog runs late once or twice.
        long check = Math.max(10, Math.min(500, ctx.leaseSafetyMargin().toMillis() / 4));
        watchdog = ctx.timers().scheduleAtFixedRate(this::closeLapsing, check, check, TimeUnit.MILLISECONDS);
        refresh();
    }

    /** Runs a tick now, in the background. */
    public void refresh() {
        if (!closed) {
            ctx.workers().execute(this::tick);
        }
    }

    /**
     * An {@code app_added} named {@code appId}: an app Slack disabled ({@code link_disabled}, a revoked
     * token) is started again even when its registration did not change, so that an operator who fixed
     * the app on Slack's side can bring it back by registering it again.
     */
    public void registered(String appId) {
        reregistered.add(appId);
        refresh();
    }

    /**
     * Applies one app command (command thread): {@code app_added} reads the app's registration with
     * {@code hget} (the apps hash; null when absent) and serves it, {@code app_removed} forgets the app,
     * the installation commands drop the cached installation so that the next request reads it again.
     */
    public void apply(Command.AppCommand command, Function<String, String> hget) {
        AppDirectory directory = ctx.directory();
        switch (command) {
            case Command.AppAdded added -> {
                String json = RegistrationsHash.read(
                        hget, ctx.appsKey(), added.appId(), "app_added for app " + added.appId(), ctx.metrics());
                if (json == null) {
                    return;
                }
                AppRegistration app = directory.decode(added.appId(), json);
                if (app == null) {
                    ctx.metrics().commandsRejected.increment();
                    return;
                }
                directory.put(app);
                registered(app.appId());
            }
            case Command.AppRemoved removed -> {
                directory.remove(removed.appId());
                refresh();
            }
            case Command.InstallationAdded i -> directory.forgetInstallation(i.appId(), i.teamId());
            case Command.InstallationRemoved i -> directory.forgetInstallation(i.appId(), i.teamId());
        }
    }

    /**
     * Brings the apps in line with the apps hash, read whole after a (re)connect to Redis (command
     * thread). Cached installations are forgotten too: an {@code installation_added} or {@code
     * installation_removed} may have been published while the broker was away.
     */
    public void reconcile(Map<String, String> hash) {
        AppDirectory directory = ctx.directory();
        directory.forgetInstallations();
        if (RegistrationsHash.seemsLost(
                "apps", ctx.appsKey(), hash, directory.apps().size())) {
            return; // forgetting the apps would refuse every Events API request
        }
        Map<String, AppRegistration> registered = directory.decodeAll(hash);
        directory.replaceAll(registered);
        log.info("{} apps registered", registered.size());
        refresh();
    }

    /** Open Socket Mode connections on this broker, over every app. */
    public int openConnections() {
        return running.values().stream()
                .mapToInt(SocketModeApp::openConnections)
                .sum();
    }

    /** Closes every connection and gives back every lease (broker shutdown). */
    public void stopAll(String reason) {
        closed = true;
        for (ScheduledFuture<?> t : new ScheduledFuture<?>[] {ticker, watchdog}) {
            if (t != null) {
                t.cancel(false);
            }
        }
        tickLock.lock();
        try {
            running.values().forEach(app -> app.stop(reason));
            running.clear();
            try {
                ctx.leases().leave(ctx.brokersKey());
            } catch (RuntimeException e) {
                log.debug("leaving the broker registry: {}", e.toString());
            }
        } finally {
            tickLock.unlock();
        }
    }

    private void tick() {
        if (closed || !tickLock.tryLock()) {
            return;
        }
        try {
            if (closed) {
                return;
            }
            Map<String, AppRegistration> wanted = new java.util.HashMap<>();
            for (AppRegistration app : ctx.directory().apps()) {
                if (app.usesSocketMode()) {
                    wanted.put(app.appId(), app);
                }
            }
            java.util.Set<String> again = java.util.Set.copyOf(reregistered);
            reregistered.removeAll(again);
            for (var e : Map.copyOf(running).entrySet()) {
                AppRegistration now = wanted.get(e.getKey());
                boolean enableAgain = again.contains(e.getKey()) && e.getValue().disabled();
                if (now == null || !now.equals(e.getValue().registration()) || enableAgain) {
                    running.remove(e.getKey());
                    if (now == null) {
                        ctx.metrics().appGone(e.getKey());
                    }
                    e.getValue()
                            .stop(
                                    now == null
                                            ? "app removed"
                                            : enableAgain ? "app registered again" : "app registration changed");
                }
            }
            if (wanted.isEmpty() && running.isEmpty()) {
                return;
            }
            long brokers =
                    ctx.leases().heartbeat(ctx.brokersKey(), ctx.leaseTtl().multipliedBy(2));
            for (AppRegistration app : wanted.values()) {
                SocketModeApp a = running.computeIfAbsent(app.appId(), id -> {
                    log.info(
                            "serving app {} over Socket Mode ({} connections across the fleet)", id, app.connections());
                    ctx.metrics().appConnections(id, () -> {
                        SocketModeApp current = running.get(id);
                        return current == null ? 0 : current.openConnections();
                    });
                    return new SocketModeApp(ctx, app);
                });
                try {
                    a.tick(brokers);
                } catch (RuntimeException e) {
                    warnRedis(e);
                }
            }
        } catch (RuntimeException e) {
            // The heartbeat failed before any app could renew; the watchdog closes what may lapse.
            warnRedis(e);
        } finally {
            tickLock.unlock();
        }
    }

    /** The lease watchdog (timer thread): must stay cheap and never wait for Redis. */
    private void closeLapsing() {
        try {
            long now = ctx.ticker().getAsLong();
            running.values().forEach(app -> app.closeLapsing(now));
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep watching.
            log.error(
                    "Socket Mode lease watchdog: {}",
                    dev.relax.core.internal.Redaction.redact(e.toString()),
                    dev.relax.core.internal.Redaction.redacted(e));
        }
    }

    private void warnRedis(RuntimeException e) {
        ctx.metrics().redisErrors.increment();
        long now = ctx.ticker().getAsLong();
        if (now - lastRedisWarningNanos > Duration.ofSeconds(5).toNanos()) {
            lastRedisWarningNanos = now;
            log.warn("Socket Mode leases: Redis call failed ({}); retrying", e.toString());
        }
    }
}
