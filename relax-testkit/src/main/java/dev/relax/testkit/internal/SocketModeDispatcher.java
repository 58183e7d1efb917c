/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.relax.testkit.DisconnectReason;
import dev.relax.testkit.EnvelopeRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * Socket Mode delivery for one app (https://api.slack.com/apis/socket-mode): each envelope goes to one
 * open connection, round robin; an {@code events_api} envelope that is not acknowledged within the ack
 * timeout is written again (to the next connection) with {@code retry_attempt} + 1 and {@code
 * retry_reason} {@code timeout}, up to the retry limit. An attempt made while no connection is open
 * counts as a failed attempt, as a delivery Slack could not make. Slash commands and interactions are
 * never retried: Slack shows the user an error instead.
 */
public final class SocketModeDispatcher {
    private final String appId;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final Ids ids;
    private final List<SocketConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextConnection = new AtomicInteger();
    private final Map<String, Envelope> pending = new ConcurrentHashMap<>();
    private final Queue<Envelope> envelopes = new ConcurrentLinkedQueue<>();

    public SocketModeDispatcher(String appId, Settings settings, ScheduledExecutorService scheduler, Ids ids) {
        this.appId = appId;
        this.settings = settings;
        this.scheduler = scheduler;
        this.ids = ids;
    }

    /**
     * Registers an open connection unless the app already holds {@code max}; returns how many the app
     * now has, or -1 when the connection was refused.
     */
    public synchronized int tryOpen(SocketConnection connection, int max) {
        if (connections.size() >= max) {
            return -1;
        }
        connections.add(connection);
        return connections.size();
    }

    public void closed(SocketConnection connection) {
        connections.remove(connection);
    }

    public List<SocketConnection> connections() {
        return List.copyOf(connections);
    }

    /** Sends a new envelope and returns its id. */
    public String dispatch(String type, String payload, boolean acceptsResponsePayload) {
        Envelope envelope = new Envelope(ids.uuid(), type, payload, acceptsResponsePayload, type.equals("events_api"));
        envelopes.add(envelope);
        pending.put(envelope.id, envelope);
        attempt(envelope, "");
        return envelope.id;
    }

    /** Records the client's ack; late and unknown acks are ignored, as Slack ignores them. */
    public void ack(String envelopeId, JsonNode payload) {
        Envelope envelope = pending.remove(envelopeId);
        if (envelope == null) {
            return;
        }
        synchronized (envelope) {
            envelope.acked = true;
            envelope.ackPayload = payload == null || payload.isMissingNode() ? "" : Json.write(payload);
            if (envelope.timer != null) {
                envelope.timer.cancel(false);
            }
        }
    }

    private void attempt(Envelope envelope, String retryReason) {
        String frame;
        synchronized (envelope) {
            if (envelope.acked) {
                return;
            }
            frame = envelope.frame(envelope.attempts, retryReason);
            envelope.attempts++;
            if (envelope.retryable) {
                envelope.timer = scheduler.schedule(
                        () -> timedOut(envelope), settings.ackTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        SocketConnection connection = pick();
        if (connection != null) {
            connection.send(frame);
        }
    }

    private void timedOut(Envelope envelope) {
        synchronized (envelope) {
            if (envelope.acked) {
                return;
            }
            if (envelope.attempts > settings.maxRetries()) {
                pending.remove(envelope.id);
                return;
            }
        }
        attempt(envelope, "timeout");
    }

    private SocketConnection pick() {
        List<SocketConnection> open = List.copyOf(connections);
        if (open.isEmpty()) {
            return null;
        }
        return open.get(Math.floorMod(nextConnection.getAndIncrement(), open.size()));
    }

    /**
     * Sends a {@code disconnect} frame to every connection; {@code refresh_requested} closes each after
     * {@code grace}, {@code link_disabled} closes at once, {@code warning} leaves them open.
     */
    public void disconnect(DisconnectReason reason, Duration grace) {
        ObjectNode frame = Json.object();
        frame.put("type", "disconnect");
        frame.put("reason", reason.wireName());
        frame.putObject("debug_info").put("host", "applink-simulator");
        String text = Json.write(frame);
        for (SocketConnection connection : connections()) {
            connection.send(text);
            switch (reason) {
                case LINK_DISABLED -> connection.close(StatusCode.NORMAL, reason.wireName());
                case REFRESH_REQUESTED ->
                    scheduler.schedule(
                            () -> connection.close(StatusCode.NORMAL, reason.wireName()),
                            grace.toNanos(),
                            TimeUnit.NANOSECONDS);
                case WARNING -> {}
            }
        }
    }

    public List<EnvelopeRecord> envelopes() {
        return envelopes.stream().map(Envelope::snapshot).toList();
    }

    /** One envelope; mutable fields guarded by the envelope's monitor. */
    private final class Envelope {
        private final String id;
        private final String type;
        private final String payload;
        private final boolean acceptsResponsePayload;
        private final boolean retryable;
        private int attempts;
        private boolean acked;
        private String ackPayload = "";
        private ScheduledFuture<?> timer;

        Envelope(String id, String type, String payload, boolean acceptsResponsePayload, boolean retryable) {
            this.id = id;
            this.type = type;
            this.payload = payload;
            this.acceptsResponsePayload = acceptsResponsePayload;
            this.retryable = retryable;
        }

        String frame(int retryAttempt, String retryReason) {
            ObjectNode frame = Json.object();
            frame.put("envelope_id", id);
            frame.putRawValue("payload", new RawValue(payload));
            frame.put("type", type);
            frame.put("accepts_response_payload", acceptsResponsePayload);
            if (retryable) {
                frame.put("retry_attempt", retryAttempt);
                frame.put("retry_reason", retryReason);
            }
            return Json.write(frame);
        }

        synchronized EnvelopeRecord snapshot() {
            return new EnvelopeRecord(id, appId, type, payload, attempts, acked, ackPayload);
        }
    }
}
