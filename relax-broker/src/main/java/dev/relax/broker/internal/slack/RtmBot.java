/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.core.event.WireEvent;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Command;
import dev.relax.core.protocol.Protocol;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bot's RTM connection: a {@link ReconnectingSocket} (log in with {@code rtm.connect}, open, keep
 * alive, reconnect, stop) whose event frames are translated into Relax events, plus the bot's outbox of
 * {@code message} commands, sent once across brokers.
 *
 * <p>Liveness (https://api.slack.com/rtm#ping_and_pong): a {@code ping} message every {@code
 * pingInterval}; a socket silent for {@code maxMissedPongs} intervals is dead and is replaced.
 */
public final class RtmBot {
    private static final Logger log = LoggerFactory.getLogger(RtmBot.class);

    /** A message command waiting for a socket; {@code claimed} once this broker won the right to send it. */
    private record Outgoing(Command.SendMessage message, boolean claimed) {}

    /** Where a bot is in its life. */
    public enum State {
        STARTING,
        CONNECTING,
        CONNECTED,
        WAITING,
        DISABLED,
        STOPPED
    }

    private final RtmContext ctx;
    private final BotRegistration registration;
    private final String team;
    private final ReconnectingSocket connection;

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    /** The socket the outbox was flushed to; messages go straight to it while it is open. */
    private SocketHandle flushedTo;

    private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
    private final AtomicLong pingIds = new AtomicLong();
    /** RTM's answers to the messages whose command wants a result; stored off the socket's reading thread. */
    private final RtmReplies replies;

    public RtmBot(RtmContext ctx, BotRegistration registration) {
        this.ctx = ctx;
        this.registration = registration;
        this.team = registration.hashField();
        this.replies = new RtmReplies(outcome -> ctx.workers().execute(() -> storeResult(outcome)), ctx.ticker());
        RtmSettings settings = ctx.settings();
        this.connection = new ReconnectingSocket(
                "bot " + team,
                team,
                new ReconnectingSocket.Settings(
                        settings.pingInterval(), settings.maxMissedPongs(), settings.backoff(), null),
                ctx.sockets(),
                new Rtm());
    }

    public BotRegistration registration() {
        return registration;
    }

    public State state() {
        return State.valueOf(connection.state().name());
    }

    /** Starts logging in after {@code delay} (start-up jitter). */
    public void start(Duration delay) {
        connection.start(delay);
    }

    /** Stops for good: closes the socket with 1000 and ignores whatever was under way. */
    public void stop(String reason) {
        if (!connection.stop(reason)) {
            return;
        }
        lock.lock();
        try {
            flushedTo = null;
            if (!outbox.isEmpty()) {
                log.warn("bot {} stopped with {} message commands not sent", team, outbox.size());
                outbox.clear();
            }
        } finally {
            lock.unlock();
        }
        log.info("bot {} stopped ({})", team, reason);
    }

    /** Writes a {@code message} command's payload to the socket, once across brokers. */
    public void send(Command.SendMessage message) {
        lock.lock();
        try {
            State state = state();
            if (state == State.STOPPED || state == State.DISABLED) {
                log.warn("message command id={} for bot {} ignored: the bot is {}", message.id(), team, state);
                return;
            }
            if (flushedTo != null && flushedTo == connection.current()) {
                claimAndSend(message, flushedTo);
                return;
            }
            queue(new Outgoing(message, false));
        } finally {
            lock.unlock();
        }
    }

    /** Keeps a message until the socket is back. Caller holds the lock. */
    private void queue(Outgoing outgoing) {
        if (outbox.size() >= ctx.settings().outboxCapacity()) {
            log.error(
                    "message command id={} for bot {} dropped: {} already wait for the socket",
                    outgoing.message().id(),
                    team,
                    outbox.size());
            return;
        }
        outbox.add(outgoing);
        log.debug(
                "message command id={} for bot {} waits for the socket",
                outgoing.message().id(),
                team);
    }

    // ---- the protocol -----------------------------------------------------------------------------

    /** RTM on the reconnecting socket: {@code rtm.connect}, and frames translated for this bot. */
    private final class Rtm implements SocketProtocol {
        @Override
        public SlackConnectErrors.Side side() {
            return SlackConnectErrors.Side.RTM;
        }

        @Override
        public String method() {
            return ctx.settings().loginMethod();
        }

        @Override
        public void attemptStarting() throws InterruptedException {
            ctx.loginPermits().acquire();
        }

        @Override
        public void attemptEnded() {
            ctx.loginPermits().release();
        }

        @Override
        public SlackWebApi.Response requestUrl() throws IOException, InterruptedException {
            return ctx.api().call(method(), registration.token(), Map.of());
        }

        @Override
        public void connected(SocketHandle socket, SocketHandle replaced) {
            lock.lock();
            try {
                flushedTo = socket;
                while (!outbox.isEmpty()) {
                    Outgoing next = outbox.poll();
                    if (next.claimed()) {
                        write(next.message(), socket);
                    } else {
                        claimAndSend(next.message(), socket);
                    }
                }
            } finally {
                lock.unlock();
            }
            log.info("bot {} connected as {}", team, identity(socket).selfId());
            ctx.claims()
                    .markStarted(registration.teamId(), ctx.clock().instant().getNano());
        }

        @Override
        public void ping(SocketHandle socket) {
            socket.send("{\"id\":" + pingIds.incrementAndGet() + ",\"type\":\"ping\"}");
        }

        @Override
        public void reconnecting(String cause) {
            ctx.metrics().reconnect(cause);
        }

        @Override
        public void refused(String error) {
            if (newerRegistrationStored()) {
                // The app already stored another token (rotation) and its team_added is on the way: the
                // refusal of the old token is expected, and no disable_bot must reach the app.
                log.info(
                        "bot {}: Slack refused the old token ({}), but a newer registration is stored; waiting for its team_added",
                        team,
                        error);
                RtmBot.this.stop("token replaced");
                return;
            }
            log.warn(
                    "bot {}: Slack refused its token ({}); emitting disable_bot, not retrying until a new team_added",
                    team,
                    error);
            ctx.events()
                    .offer(
                            registration.id(),
                            ctx.translator().disableBot(new BotIdentity(registration.id(), "")),
                            Arrival.now(Arrival.Transport.BROKER));
        }

        private boolean newerRegistrationStored() {
            try {
                BotRegistration stored = ctx.registrations().registration(registration.hashField());
                return stored != null && !stored.token().equals(registration.token());
            } catch (RuntimeException e) {
                // Redis unreachable or entry unreadable: report the refusal as usual.
                log.debug("bot {}: cannot read the stored registration: {}", team, e.toString());
                return false;
            }
        }

        @Override
        public void onEvent(SocketHandle socket, JsonNode frame) {
            if (replies.answered(frame)) {
                return;
            }
            Arrival arrival = Arrival.now(Arrival.Transport.RTM);
            BotIdentity who = identity(socket);
            Translated t;
            try {
                t = ctx.translator().translate(who, frame);
            } catch (RuntimeException e) {
                ctx.metrics().framesMalformed.increment();
                log.warn(
                        "bot {}: cannot translate frame type={}: {}",
                        team,
                        frame.path("type").asText(),
                        e.toString());
                return;
            }
            if (t == null || filteredOut(who, t.event())) {
                return;
            }
            if (log.isDebugEnabled()) {
                log.debug(
                        "bot {}: {} in {} at {}",
                        team,
                        t.event().type(),
                        t.event().channelUid(),
                        t.event().eventTimestamp());
            }
            arrival.slackTime(frame.path("event_ts").asText(frame.path("ts").asText("")));
            ctx.events().offer(registration.id(), t, arrival);
        }

        /** The bot as the login that opened {@code socket} named it. */
        private BotIdentity identity(SocketHandle socket) {
            return new BotIdentity(
                    registration.id(), socket.opening().path("self").path("id").asText(""));
        }

        private boolean filteredOut(BotIdentity who, WireEvent e) {
            return ctx.settings().mentionsAndDmsOnly()
                    && e.type().equals(Protocol.EVENT_MESSAGE_NEW)
                    && !e.im()
                    && !(!who.selfId().isEmpty()
                            && (e.text().contains("<@" + who.selfId() + ">")
                                    || e.text().contains("<@" + who.selfId() + "|")));
        }
    }

    // ---- sending ----------------------------------------------------------------------------------

    private void storeResult(dev.relax.core.protocol.CallOutcome outcome) {
        try {
            ctx.replyResults().accept(outcome);
        } catch (RuntimeException e) {
            ctx.metrics().redisErrors.increment();
            log.warn(
                    "bot {}: the result of message command id={} could not be stored: {}",
                    team,
                    outcome.id(),
                    e.toString());
        }
    }

    private void claimAndSend(Command.SendMessage message, SocketHandle to) {
        ctx.claims().claim(message.mutexField()).whenComplete((won, error) -> {
            if (error != null) {
                log.warn(
                        "message command id={} for bot {}: cannot claim it in Redis ({}); keeping it to retry",
                        message.id(),
                        team,
                        error.toString());
                ctx.metrics().redisErrors.increment();
                ctx.timers().schedule(() -> send(message), 1, TimeUnit.SECONDS);
            } else if (Boolean.TRUE.equals(won)) {
                write(message, to);
            } else {
                log.debug("message command id={} for bot {} is sent by another broker", message.id(), team);
            }
        });
    }

    /** Writes a claimed message; if the socket closed meanwhile, keeps it for the next socket (nobody else will send it). */
    private void write(Command.SendMessage message, SocketHandle to) {
        if (connection.send(to, message.payload())) {
            ctx.metrics().messagesSent.increment();
            replies.sent(message);
            log.debug("message command id={} written to bot {}'s socket", message.id(), team);
            return;
        }
        lock.lock();
        try {
            State state = state();
            if (state != State.STOPPED && state != State.DISABLED) {
                queue(new Outgoing(message, true));
            } else {
                log.warn("message command id={} for bot {} not sent: the bot is {}", message.id(), team, state);
            }
        } finally {
            lock.unlock();
        }
    }
}
