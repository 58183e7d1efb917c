/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.broker.internal.slack.ReconnectingSocket;
import dev.relax.broker.internal.slack.SlackConnectErrors;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.broker.internal.slack.SocketHandle;
import dev.relax.broker.internal.slack.SocketProtocol;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Socket Mode connection of an app, held under one lease (a "slot"): a {@link ReconnectingSocket}
 * that opens with {@code apps.connections.open} and the app-level token, becomes current at {@code
 * hello}, and hands envelopes to its app (https://api.slack.com/apis/socket-mode).
 *
 * <ul>
 *   <li>A {@code disconnect} with {@code refresh_requested} or {@code warning} opens a new socket first
 *       and closes the old one only once the new one said {@code hello}, so there is no gap, when a
 *       spare slot can be leased for the overlap ({@link SocketModeApp#takeSpare}); otherwise (an app
 *       with 10 connections, say) it closes the old socket first and then opens the new one, so that
 *       the app never has more than Slack's 10 sockets ({@link #beforeRefresh}).
 *   <li>{@code link_disabled}, or a token Slack refuses, disables the whole app ({@link SocketModeApp#disable}).
 *   <li>A socket that closes, or stays silent through {@code maxMissedPongs} ping intervals, is replaced
 *       with back-off and jitter; a 429 from {@code apps.connections.open} waits its {@code Retry-After}.
 * </ul>
 */
final class SocketModeLink implements SocketProtocol {
    private static final Logger log = LoggerFactory.getLogger(SocketModeLink.class);

    private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a socket replaced by a refresh stays open, so that acknowledgements of envelopes it
     * delivered just before still go out on it (Slack's {@code warning} comes about 10 s before it closes
     * the socket itself: https://api.slack.com/apis/socket-mode#disconnect).
     */
    private static final Duration REFRESH_GRACE = Duration.ofSeconds(2);
    /**
     * How long a refresh without a spare slot waits for the old socket to close before it opens the new
     * one; the transports give a peer 1 s to answer a close frame.
     */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final AppContext ctx;
    private final SocketModeApp owner;
    final int slot;
    private final ReconnectingSocket connection;
    /** The spare lease each socket being replaced counts under, until it closed; reader and worker threads. */
    private final Map<SocketHandle, SocketModeApp.Spare> spares = new ConcurrentHashMap<>();

    /**
     * Until when (ticker) the slot's lease is surely ours: when the last renewal that Redis granted was
     * sent, plus the TTL. Written by the owner's tick thread, read by its lease watchdog.
     */
    private volatile long leaseValidUntil;

    SocketModeLink(AppContext ctx, SocketModeApp owner, int slot, long leaseValidUntil) {
        this.ctx = ctx;
        this.owner = owner;
        this.slot = slot;
        this.leaseValidUntil = leaseValidUntil;
        this.connection = new ReconnectingSocket(
                "app " + owner.appId() + " connection " + slot,
                null,
                new ReconnectingSocket.Settings(ctx.pingInterval(), ctx.maxMissedPongs(), ctx.backoff(), HELLO_TIMEOUT),
                ctx.sockets(),
                this);
    }

    long leaseValidUntil() {
        return leaseValidUntil;
    }

    void leaseValidUntil(long nanoTime) {
        leaseValidUntil = nanoTime;
    }

    /** Connects in the background. */
    void start() {
        connection.start(Duration.ZERO);
    }

    /** True while a socket of this link is open and said hello. */
    boolean open() {
        return connection.current() != null;
    }

    /**
     * Closes every socket of the link with 1000, including one still being opened and one a refresh is
     * replacing; no reconnect follows. Never blocks (the lease watchdog calls it on a timer thread).
     */
    void stop(String reason) {
        if (connection.stop(reason)) {
            log.info("app {} connection {}: stopped ({})", owner.appId(), slot, reason);
        }
    }

    /**
     * Sends an acknowledgement on {@code socket}, or on the link's current socket once that one closed; the
     * delay since the envelope's receipt ({@code receivedNanos}, on the ticker) goes to the ack-delay histogram.
     */
    void ack(SocketHandle socket, String envelopeId, long receivedNanos) {
        if (ack(socket, envelopeId)) {
            ctx.metrics().acked(ctx.ticker().getAsLong() - receivedNanos);
        }
    }

    /** Sends an acknowledgement, not timed (a frame the broker ignores); returns whether it went out. */
    private boolean ack(SocketHandle socket, String envelopeId) {
        String frame = "{\"envelope_id\":" + dev.relax.core.json.RelaxJson.quote(envelopeId) + "}";
        if (connection.send(socket, frame)) {
            ctx.metrics().envelopesAcked.increment();
            return true;
        } else {
            // Slack redelivers an envelope it saw no ack for; the event is in Redis and is deduplicated.
            log.info(
                    "app {} connection {}: could not acknowledge envelope {}: socket closed",
                    owner.appId(),
                    slot,
                    envelopeId);
            return false;
        }
    }

    @Override
    public SlackConnectErrors.Side side() {
        return SlackConnectErrors.Side.SOCKET_MODE;
    }

    @Override
    public String method() {
        return "apps.connections.open";
    }

    @Override
    public SlackWebApi.Response requestUrl() throws IOException, InterruptedException {
        return ctx.api().call(method(), owner.registration().appToken(), Map.of());
    }

    @Override
    public void onEvent(SocketHandle socket, JsonNode frame) {
        String type = frame.path("type").asText("");
        EnvelopeKind kind = EnvelopeKind.ofEnvelopeType(type);
        if (kind != null) {
            owner.envelope(this, socket, frame, kind);
            return;
        }
        String envelopeId = frame.path("envelope_id").asText("");
        if (!envelopeId.isEmpty()) {
            ack(socket, envelopeId);
        }
        log.debug("app {} connection {}: frame of type '{}' ignored", owner.appId(), slot, type);
    }

    @Override
    public void connected(SocketHandle socket, SocketHandle replaced) {
        if (replaced == null) {
            log.info("app {} connection {}: connected", owner.appId(), slot);
            return;
        }
        if (!spares.containsKey(replaced)) {
            // Only a socket that counts under a spare slot may stay open beside its replacement.
            replaced.retire(1000, "replaced by a fresh connection");
        } else {
            // A refresh under a spare slot: the new socket is up, so the old one goes, after a grace for
            // its last acks (https://api.slack.com/apis/socket-mode#disconnect), or sooner if its spare
            // lease would lapse first (beforeRefresh).
            after(REFRESH_GRACE.toNanos(), () -> replaced.retire(1000, "replaced by a fresh connection"));
        }
        log.info("app {} connection {}: refreshed", owner.appId(), slot);
    }

    @Override
    public void refused(String error) {
        owner.disable(error);
    }

    @Override
    public void ping(SocketHandle socket) {
        socket.sendPing();
    }

    @Override
    public void reconnecting(String cause) {
        switch (cause) {
            case "closed", "dropped" -> ctx.metrics().socketModeReconnect(owner.appId(), "socket_mode_closed");
            case "missed_pongs" -> ctx.metrics().socketModeReconnect(owner.appId(), "socket_mode_silent");
            default -> {} // failed attempts are logged, not counted (docs/slack-apps.md)
        }
    }

    /**
     * Before a refresh opens the replacement of {@code old}: Slack counts {@code old} until it is closed
     * and refuses an app's 11th socket ({@code too_many_websockets}; an app may hold 10:
     * https://api.slack.com/apis/connections/socket-implement#connections). So the two may overlap only
     * under the lease of a spare slot, which {@code old} counts under until it closed, and which must not
     * lapse while {@code old} is open: it is retired before then, whatever became of its replacement.
     * Without a spare, {@code old} is closed first and the replacement opens once it is closed; envelopes
     * Slack sent on {@code old} that were not yet acknowledged are redelivered by Slack, to another socket
     * of the app or to the replacement, and written once (dedupe keys). Blocking: runs on a worker.
     */
    @Override
    public void beforeRefresh(SocketHandle old) throws InterruptedException {
        if (connection.current() != old) {
            return; // closed or replaced meanwhile: nothing to make room for
        }
        SocketModeApp.Spare spare = owner.takeSpare();
        if (spare != null) {
            spares.put(old, spare);
            old.whenClosed(() -> {
                if (spares.remove(old, spare)) {
                    owner.releaseSpare(spare);
                }
            });
            long endBy = spare.validUntil()
                    - ctx.leaseSafetyMargin().toNanos()
                    - ctx.ticker().getAsLong();
            after(Math.max(0, endBy), () -> connection.retireReplaced(old, "refreshed"));
            return;
        }
        log.info(
                "app {} connection {}: refresh without a spare slot below Slack's 10 sockets: closing the old "
                        + "socket before opening its replacement (envelopes it delivered that are not yet "
                        + "acknowledged are redelivered by Slack)",
                owner.appId(),
                slot);
        connection.retireReplaced(old, "refreshed");
        if (!old.awaitClosed(CLOSE_WAIT)) {
            log.warn(
                    "app {} connection {}: the old socket did not close within {} s; opening its replacement anyway",
                    owner.appId(),
                    slot,
                    CLOSE_WAIT.toSeconds());
        }
    }

    /** Runs {@code task} on a timer after {@code nanos}; at once when the broker is closing. */
    private void after(long nanos, Runnable task) {
        try {
            ctx.timers().schedule(task, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }
}
