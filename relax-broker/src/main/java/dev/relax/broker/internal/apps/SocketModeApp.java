/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.broker.internal.oauth.Uninstalls;
import dev.relax.broker.internal.slack.Arrival;
import dev.relax.broker.internal.slack.SocketHandle;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket Mode connections one broker holds for one app. Each connection has a slot
 * {@code 0..connections-1} and is held only under that slot's lease in Redis, so that across the fleet
 * the app never has more connections than its registration asks for, plus, for a moment, the
 * replacements that refreshes open before closing the old sockets, each under a spare slot's lease
 * ({@link #takeSpare}) so that the app stays within Slack's 10. {@link #tick} runs on one thread at a
 * time: it renews the leases held, gives up slots beyond the registration, and takes at most one free
 * slot, only while this broker holds less than its fair share (slots divided by live brokers, rounded
 * up) or the slot has been free for a whole lease period.
 *
 * <p>Each held connection knows until when its lease is surely valid: the time its last successful
 * renewal (or {@code SET NX}) was sent, plus the TTL. {@link #closeLapsing} runs on a timer thread, never
 * waits for Redis, and closes a connection once that moment is less than a safety margin away, so that
 * a broker whose Redis commands hang (a black-holed network: they fail only after the command timeout)
 * never keeps a socket after its lease lapsed and another broker took the slot.
 *
 * <p>Threads: {@link #tick} on a worker, one at a time (the fleet's tick lock); {@link #closeLapsing} on a
 * timer thread, concurrently with a tick that may hang in Redis; {@link #envelope} on sockets' reader
 * threads; {@link #disable} on a link's worker or reader thread (it hands its Redis work to a worker);
 * {@link #takeSpare} on a link's worker.
 */
final class SocketModeApp {
    private static final Logger log = LoggerFactory.getLogger(SocketModeApp.class);

    private final AppContext ctx;
    private final AppRegistration app;
    /**
     * Slot to link. The tick thread adds, drops and renews; {@link #disable}'s release (on a worker) and
     * {@link #stop} (the fleet, on removal or shutdown) drop links too; {@link #closeLapsing} (a timer thread) only removes, and only the
     * link it saw ({@code remove(slot, link)}), so none of them undoes another's removal. Concurrent for
     * that reason: every writer removes by slot, and {@link #drop} closes only the link it removed.
     */
    private final Map<Integer, SocketModeLink> held = new java.util.concurrent.ConcurrentHashMap<>();
    /** Slot to the time (nanos) this broker first saw it free; tick thread only. */
    private final Map<Integer, Long> freeSince = new TreeMap<>();

    private final AtomicBoolean disabled = new AtomicBoolean();
    /** Numbers this broker's refreshes, so that each holds its spare lease under a holder of its own. */
    private final java.util.concurrent.atomic.AtomicLong refreshes = new java.util.concurrent.atomic.AtomicLong();

    private volatile boolean stopped;

    SocketModeApp(AppContext ctx, AppRegistration app) {
        this.ctx = ctx;
        this.app = app;
    }

    String appId() {
        return app.appId();
    }

    AppRegistration registration() {
        return app;
    }

    boolean disabled() {
        return disabled.get();
    }

    int openConnections() {
        return (int) held.values().stream().filter(SocketModeLink::open).count();
    }

    /** Renews, trims and grows this broker's share of the app's connections. Throws when Redis fails. */
    void tick(long liveBrokers) {
        if (stopped || disabled.get()) {
            return;
        }
        long ttl = ctx.leaseTtl().toNanos();
        for (var e : Map.copyOf(held).entrySet()) {
            int slot = e.getKey();
            SocketModeLink link = e.getValue();
            long sent = ctx.ticker().getAsLong();
            if (slot >= app.connections()) {
                drop(slot, "the app now asks for " + app.connections() + " connections");
            } else if (ctx.leases().renew(ctx.leaseKey(app.appId(), slot), ctx.leaseTtl())) {
                link.leaseValidUntil(sent + ttl);
            } else if (held.remove(slot, link)) {
                log.warn("app {} connection {}: lease lost to another broker; closing it here", app.appId(), slot);
                link.stop("lease lost");
            }
        }
        if (held.size() >= app.connections()) {
            return;
        }
        long now = ctx.ticker().getAsLong();
        long fairShare = (app.connections() + liveBrokers - 1) / liveBrokers;
        int start = ThreadLocalRandom.current().nextInt(app.connections());
        for (int i = 0; i < app.connections(); i++) {
            int slot = (start + i) % app.connections();
            if (held.containsKey(slot)) {
                continue;
            }
            long since = freeSince.computeIfAbsent(slot, s -> now);
            boolean overShare = held.size() >= fairShare;
            if (overShare && now - since < ttl) {
                continue;
            }
            long sent = ctx.ticker().getAsLong();
            if (ctx.leases().acquire(ctx.leaseKey(app.appId(), slot), ctx.leaseTtl())) {
                freeSince.remove(slot);
                SocketModeLink link = new SocketModeLink(ctx, this, slot, sent + ttl);
                held.put(slot, link);
                if (disabled.get() || stopped) {
                    drop(slot, "app disabled meanwhile"); // disable() may have released before the put
                    return;
                }
                log.info(
                        "app {} connection {}: lease taken ({} of {} held here, {} brokers)",
                        app.appId(),
                        slot,
                        held.size(),
                        app.connections(),
                        liveBrokers);
                link.start();
                return;
            }
            freeSince.remove(slot);
        }
    }

    /**
     * The lease watchdog: closes every connection whose lease could lapse within the safety margin, as
     * happens when renewals fail or hang (Redis unreachable, slow or black-holed). Once a lease lapsed,
     * another broker may take the slot, so the socket here must be gone by then. Runs on a timer thread:
     * no Redis, no blocking; the lease itself lapses by its TTL or is taken again by a later tick.
     */
    void closeLapsing(long nowNanos) {
        long margin = ctx.leaseSafetyMargin().toNanos();
        for (var e : held.entrySet()) {
            SocketModeLink link = e.getValue();
            long left = link.leaseValidUntil() - nowNanos;
            if (left <= margin && held.remove(e.getKey(), link)) {
                log.error(
                        "app {} connection {}: lease not renewed in time (valid {} ms more at most: Redis "
                                + "unreachable or slow); closing the socket before the lease can lapse",
                        app.appId(),
                        e.getKey(),
                        java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(Math.max(0, left)));
                link.stop("lease about to lapse without renewal");
            }
        }
    }

    /**
     * The lease of a slot beyond the registration's count (and below Slack's 10), taken for the overlap of
     * one refresh: the socket being replaced counts under it until it closed, so that the app's sockets
     * across the fleet stay within 10 while the replacement opens.
     *
     * @param validUntil nanoTime until which the lease is surely held: when its {@code SET NX} was sent,
     *     plus the TTL
     */
    record Spare(String key, String holder, long validUntil) {}

    /**
     * Takes a free spare slot for a refresh, or null when there is none (the app asks for 10, or every
     * spare is in use by other refreshes) or Redis fails. Each refresh holds its own spare, under a holder
     * of its own, so two refreshes of this broker never share one. Blocking: called on a worker.
     */
    Spare takeSpare() {
        int first = app.connections();
        int spares = Protocol.MAX_APP_CONNECTIONS - first;
        if (spares <= 0 || stopped || disabled.get()) {
            return null;
        }
        String holder = ctx.leases().instanceId() + ":refresh:" + refreshes.incrementAndGet();
        int start = ThreadLocalRandom.current().nextInt(spares);
        try {
            for (int i = 0; i < spares; i++) {
                String key = ctx.leaseKey(app.appId(), first + (start + i) % spares);
                long sent = ctx.ticker().getAsLong();
                if (ctx.leases().take(key, holder, ctx.leaseTtl())) {
                    return new Spare(key, holder, sent + ctx.leaseTtl().toNanos());
                }
            }
        } catch (RuntimeException e) {
            log.warn("app {}: no spare slot for a refresh: Redis failed ({})", app.appId(), e.toString());
        }
        return null;
    }

    /** Gives a spare back once the socket it covered closed; in the background, as it calls Redis. */
    void releaseSpare(Spare spare) {
        try {
            ctx.workers().execute(() -> {
                try {
                    ctx.leases().release(spare.key(), spare.holder());
                } catch (RuntimeException e) {
                    log.debug("spare lease {} not released ({}); it lapses by itself", spare.key(), e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The broker is closing: the spare lapses by itself.
        }
    }

    /** Handles an envelope of {@code kind}: the event goes to Redis, and the ack to Slack only once it is there. */
    void envelope(SocketModeLink link, SocketHandle socket, JsonNode frame, EnvelopeKind kind) {
        ctx.metrics().envelopesIn.increment();
        Arrival arrival = Arrival.at(Arrival.Transport.SOCKET_MODE, ctx.ticker().getAsLong());
        // The event's event_ts has microseconds; the envelope's event_time whole seconds only.
        JsonNode payload = frame.path("payload");
        arrival.slackTime(payload.path("event")
                .path("event_ts")
                .asText(payload.path("event_time").asText("")));
        String team = AppEventTranslator.teamOf(kind, frame.path("payload"));
        if (ctx.directory().installationCached(app.appId(), team)) {
            // Cache only: a concurrent installation_removed must not turn this into a Redis read here.
            translateAndOffer(link, socket, frame, kind, arrival, ctx.directory()::cachedBotUserId);
        } else {
            // Naming the bot user may read Redis, which must not block the socket's reader thread (its
            // pongs and every other envelope wait behind it); Slack does not promise order across envelopes.
            ctx.workers()
                    .execute(() -> translateAndOffer(link, socket, frame, kind, arrival, ctx.directory()::botUserId));
        }
    }

    private void translateAndOffer(
            SocketModeLink link,
            SocketHandle socket,
            JsonNode frame,
            EnvelopeKind kind,
            Arrival arrival,
            java.util.function.BiFunction<String, String, String> botUser) {
        String envelopeId = frame.path("envelope_id").asText("");
        ctx.directory().sawEvent(app.appId(), frame.path("payload"));
        AppEvent event = ctx.translator().translate(kind, app, frame.path("payload"), envelopeId, botUser);
        if (event == null) {
            link.ack(socket, envelopeId, arrival.receivedNanos());
            return;
        }
        if (frame.path("retry_attempt").asInt(0) > 0) {
            log.debug(
                    "app {}: envelope {} is Slack's retry {} ({})",
                    app.appId(),
                    envelopeId,
                    frame.path("retry_attempt").asInt(),
                    frame.path("retry_reason").asText(""));
        }
        Optional<String> ended =
                kind == EnvelopeKind.EVENTS_API ? Uninstalls.endedBy(frame.path("payload")) : Optional.empty();
        if (!ctx.events().offer(event.bot(), event.translated(), arrival, () -> {
            link.ack(socket, envelopeId, arrival.receivedNanos());
            // Once the disable_bot is in Redis, off the writer's thread: the installation goes.
            long eventTime = Uninstalls.eventTime(frame.path("payload"));
            ended.ifPresent(
                    place -> ctx.workers().execute(() -> ctx.directory().uninstalled(app.appId(), place, eventTime)));
        })) {
            log.warn(
                    "app {}: envelope {} not acknowledged: the event buffer is full; Slack will redeliver it",
                    app.appId(),
                    envelopeId);
        }
    }

    /**
     * Slack refused the app (revoked or invalid token, {@code link_disabled}): emits {@code disable_bot}
     * with {@code relax_app_id} once, closes the app's connections here and gives back their leases. The
     * app stays off on this broker until its registration changes ({@code app_added}).
     */
    void disable(String reason) {
        if (!disabled.compareAndSet(false, true)) {
            return;
        }
        log.error(
                "app {}: Slack refused its Socket Mode connection ({}); emitting disable_bot and closing its "
                        + "connections until the app is registered again (app_added)",
                app.appId(),
                reason);
        AppEvent event = ctx.translator().appDisabled(app, reason, tokenFingerprint());
        ctx.events().offer(event.bot(), event.translated(), Arrival.now(Arrival.Transport.BROKER));
        ctx.workers().execute(() -> releaseAll("disabled: " + reason));
    }

    /** Closes every connection and gives back the leases (on removal, re-registration or shutdown). */
    void stop(String reason) {
        stopped = true;
        releaseAll(reason);
    }

    private void releaseAll(String reason) {
        for (int slot : Map.copyOf(held).keySet()) {
            drop(slot, reason);
        }
    }

    private void drop(int slot, String reason) {
        SocketModeLink link = held.remove(slot);
        if (link == null) {
            return;
        }
        link.stop(reason);
        try {
            ctx.leases().release(ctx.leaseKey(app.appId(), slot));
        } catch (RuntimeException e) {
            log.warn(
                    "app {} connection {}: lease not released ({}); it lapses by itself",
                    app.appId(),
                    slot,
                    e.toString());
        }
    }

    /** Tells one app-level token from the next without revealing it: a re-registered token is a new app. */
    private String tokenFingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(app.appToken().reveal().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
