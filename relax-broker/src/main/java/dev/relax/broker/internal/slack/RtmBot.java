package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.core.event.WireEvent;
import dev.relax.core.internal.Redaction;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Command;
import dev.relax.core.protocol.Protocol;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One bot's RTM connection: log in, open the socket, keep it alive, reconnect, and stop.
 *
 * <p>Every login attempt gets a new session number; callbacks of an older session (a socket being
 * replaced, a login that was overtaken by {@link #stop()}) are ignored, so a bot never has two live
 * sockets in one broker and a stopped bot never logs in or emits anything again.
 *
 * <p>Liveness (https://api.slack.com/rtm#ping_and_pong): a ping every {@code pingInterval}; when
 * {@code maxMissedPongs} pings went unanswered and nothing at all arrived meanwhile, the socket is
 * dead and is replaced. A {@code goodbye} frame, a close or a read error also mean: reconnect.
 */
public final class RtmBot {
    private static final Logger log = LoggerFactory.getLogger(RtmBot.class);

    /** Login errors that mean the token will not work until the app stores a new one. */
    static final Set<String> FATAL_ERRORS = Set.of("invalid_auth", "account_inactive", "token_revoked", "not_authed");

    /** A message command waiting for a socket; {@code claimed} once this broker won the right to send it. */
    private record Outgoing(Command.SendMessage message, boolean claimed) {}

    /** Login errors that mean RTM is not available to this kind of token or app. */
    static final Set<String> NOT_FOR_RTM = Set.of("not_allowed_token_type", "missing_scope", "no_permission");

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

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private State state = State.STARTING;
    /** Written under lock; read without it by socket and timer threads to drop stale callbacks. */
    private volatile int session;

    private WebSocketTransport.Connection socket;
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> pendingLogin;
    private int failures;
    private BotIdentity identity;
    private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();

    // Written by the socket's reading thread, read by the ping timer.
    private final AtomicInteger missedPongs = new AtomicInteger();
    private volatile long lastFrameNanos;
    private final AtomicLong pingIds = new AtomicLong();

    public RtmBot(RtmContext ctx, BotRegistration registration) {
        this.ctx = ctx;
        this.registration = registration;
        this.team = registration.hashField();
    }

    public BotRegistration registration() {
        return registration;
    }

    public State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Starts logging in after {@code delay} (start-up jitter). */
    public void start(Duration delay) {
        lock.lock();
        try {
            if (state != State.STARTING) {
                return;
            }
            scheduleLogin(session, delay);
        } finally {
            lock.unlock();
        }
    }

    /** Stops for good: closes the socket with 1000 and ignores whatever was under way. */
    public void stop(String reason) {
        lock.lock();
        try {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STOPPED;
            session++;
            cancelTimers();
            closeSocket(1000, reason);
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
            if (state == State.STOPPED || state == State.DISABLED) {
                log.warn("message command id={} for bot {} ignored: the bot is {}", message.id(), team, state);
                return;
            }
            if (state == State.CONNECTED && socket != null) {
                claimAndSend(message, socket);
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

    // ---- login ----------------------------------------------------------------------------------

    private void scheduleLogin(int forSession, Duration delay) {
        state = State.WAITING;
        Runnable login = () -> ctx.workers().execute(() -> login(forSession));
        if (delay.isZero()) {
            login.run();
        } else {
            pendingLogin = ctx.timers().schedule(login, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void login(int forSession) {
        MDC.put("team", team);
        try {
            ctx.loginPermits().acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (!transition(forSession, State.CONNECTING)) {
                return;
            }
            String method = ctx.settings().loginMethod();
            SlackWebApi.Response r;
            try {
                r = ctx.api().call(method, registration.token(), Map.of());
            } catch (IOException e) {
                retryLater(forSession, "network", method + " failed: " + e, null);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (r.status() == 429) {
                retryLater(
                        forSession,
                        "ratelimited",
                        method + " is rate limited",
                        r.retryAfter().orElse(null));
                return;
            }
            if (!r.ok()) {
                String error = r.error();
                if (FATAL_ERRORS.contains(error)) {
                    disable(forSession, error);
                } else if (NOT_FOR_RTM.contains(error)) {
                    // Retried like any other error (the contract disables only on the four above), but an
                    // operator must learn that waiting will not help.
                    log.error(
                            "bot {}: Slack will not give this token an RTM connection ({}): apps created since "
                                    + "2024-06 cannot use RTM; use a classic app's bot token",
                            team,
                            error);
                    retryLater(forSession, error, method + " answered " + error, null);
                } else {
                    retryLater(forSession, error, method + " answered " + error, null);
                }
                return;
            }
            String url = r.body().path("url").asText("");
            if (url.isEmpty()) {
                retryLater(forSession, "no_url", method + " answered ok without a websocket url", null);
                return;
            }
            BotIdentity who = new BotIdentity(
                    registration.id(), r.body().path("self").path("id").asText(""));
            WebSocketTransport.Connection opened;
            try {
                opened = ctx.transport().connect(URI.create(url), new SocketListener(forSession, who));
            } catch (IOException | IllegalArgumentException e) {
                retryLater(forSession, "websocket", e.getMessage(), null);
                return;
            }
            connected(forSession, who, opened);
        } catch (RuntimeException e) {
            // Never strand a bot in CONNECTING, and never let an exception print a token unmasked.
            retryLater(forSession, "error", "login failed: " + e, null);
        } finally {
            ctx.loginPermits().release();
            MDC.remove("team");
        }
    }

    private void connected(int forSession, BotIdentity who, WebSocketTransport.Connection opened) {
        lock.lock();
        try {
            if (forSession != session || state != State.CONNECTING) {
                // Stopped or replaced while the handshake ran.
                opened.close(1000, "replaced");
                return;
            }
            socket = opened;
            identity = who;
            state = State.CONNECTED;
            missedPongs.set(0);
            lastFrameNanos = System.nanoTime();
            long every = ctx.settings().pingInterval().toMillis();
            pinger = ctx.timers().scheduleAtFixedRate(() -> ping(forSession), every, every, TimeUnit.MILLISECONDS);
            while (!outbox.isEmpty()) {
                Outgoing next = outbox.poll();
                if (next.claimed()) {
                    write(next.message(), opened);
                } else {
                    claimAndSend(next.message(), opened);
                }
            }
        } finally {
            lock.unlock();
        }
        log.info("bot {} connected as {}", team, who.selfId());
        ctx.claims().markStarted(registration.teamId(), ctx.clock().instant().getNano());
    }

    private boolean transition(int forSession, State next) {
        lock.lock();
        try {
            if (forSession != session || state == State.STOPPED || state == State.DISABLED) {
                return false;
            }
            state = next;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void retryLater(int forSession, String cause, String detail, Duration retryAfter) {
        lock.lock();
        try {
            if (forSession != session || state == State.STOPPED || state == State.DISABLED) {
                return;
            }
            Duration delay =
                    retryAfter != null ? retryAfter : ctx.settings().backoff().delay(failures);
            failures++;
            log.warn(
                    "bot {}: {}; retrying in {} ms (attempt {})",
                    team,
                    Redaction.redact(detail),
                    delay.toMillis(),
                    failures);
            ctx.metrics().reconnect(cause);
            session++;
            scheduleLogin(session, delay);
        } finally {
            lock.unlock();
        }
    }

    private void disable(int forSession, String error) {
        if (newerRegistrationStored()) {
            // The app already stored another token (rotation) and its team_added is on the way: the
            // refusal of the old token is expected, and no disable_bot must reach the app.
            log.info(
                    "bot {}: Slack refused the old token ({}), but a newer registration is stored; waiting for its team_added",
                    team,
                    error);
            stop("token replaced");
            return;
        }
        lock.lock();
        try {
            if (forSession != session || state == State.STOPPED || state == State.DISABLED) {
                return;
            }
            state = State.DISABLED;
            session++;
            cancelTimers();
            closeSocket(1000, "token refused");
        } finally {
            lock.unlock();
        }
        log.warn(
                "bot {}: Slack refused its token ({}); emitting disable_bot, not retrying until a new team_added",
                team,
                error);
        ctx.events().offer(registration.id(), ctx.translator().disableBot(new BotIdentity(registration.id(), "")));
    }

    private boolean newerRegistrationStored() {
        try {
            String json = ctx.registrations().registrationJson(registration.hashField());
            if (json == null) {
                return false;
            }
            BotRegistration stored = dev.relax.core.json.RelaxJson.decodeRegistration(json);
            return !stored.token().equals(registration.token());
        } catch (RuntimeException e) {
            // Redis unreachable or entry unreadable: report the refusal as usual.
            log.debug("bot {}: cannot read the stored registration: {}", team, e.toString());
            return false;
        }
    }

    // ---- socket ---------------------------------------------------------------------------------

    private void reconnect(int forSession, String cause, boolean now) {
        lock.lock();
        try {
            // CONNECTING too: nv-websocket-client reads frames inside connect(), so a close or goodbye can
            // arrive before connected() ran; connected() then sees the new session and closes that socket.
            if (forSession != session || (state != State.CONNECTED && state != State.CONNECTING)) {
                return;
            }
            ctx.metrics().reconnect(cause);
            cancelTimers();
            closeSocket(1000, "reconnecting");
            session++;
            Duration delay = now ? Duration.ZERO : ctx.settings().backoff().delay(failures);
            failures++;
            log.info("bot {} reconnecting ({}) in {} ms", team, cause, delay.toMillis());
            scheduleLogin(session, delay);
        } finally {
            lock.unlock();
        }
    }

    private void ping(int forSession) {
        if (forSession != session) {
            return;
        }
        long silentFor = System.nanoTime() - lastFrameNanos;
        long limit = ctx.settings().pingInterval().toNanos() * ctx.settings().maxMissedPongs();
        if (missedPongs.get() >= ctx.settings().maxMissedPongs() && silentFor >= limit) {
            log.warn(
                    "bot {}: {} pings unanswered and no frame for {} ms; the socket is dead",
                    team,
                    missedPongs.get(),
                    TimeUnit.NANOSECONDS.toMillis(silentFor));
            reconnect(forSession, "missed_pongs", true);
            return;
        }
        WebSocketTransport.Connection s;
        lock.lock();
        try {
            s = forSession == session ? socket : null;
        } finally {
            lock.unlock();
        }
        if (s != null) {
            missedPongs.incrementAndGet();
            s.sendText("{\"id\":" + pingIds.incrementAndGet() + ",\"type\":\"ping\"}");
        }
    }

    private void claimAndSend(Command.SendMessage message, WebSocketTransport.Connection to) {
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
    private void write(Command.SendMessage message, WebSocketTransport.Connection to) {
        if (to.sendText(message.payload())) {
            ctx.metrics().messagesSent.increment();
            log.debug("message command id={} written to bot {}'s socket", message.id(), team);
            return;
        }
        lock.lock();
        try {
            if (state == State.CONNECTED && socket != null && socket != to) {
                write(message, socket);
            } else if (state != State.STOPPED && state != State.DISABLED) {
                queue(new Outgoing(message, true));
            } else {
                log.warn("message command id={} for bot {} not sent: the bot is {}", message.id(), team, state);
            }
        } finally {
            lock.unlock();
        }
    }

    private void cancelTimers() {
        if (pinger != null) {
            pinger.cancel(false);
            pinger = null;
        }
        if (pendingLogin != null) {
            pendingLogin.cancel(false);
            pendingLogin = null;
        }
    }

    private void closeSocket(int code, String reason) {
        if (socket != null) {
            WebSocketTransport.Connection s = socket;
            socket = null;
            try {
                s.close(code, reason);
            } catch (RuntimeException e) {
                log.debug("bot {}: closing the socket failed: {}", team, e.toString());
            }
        }
    }

    /** Reads one socket's frames; everything it does is ignored once its session is over. */
    private final class SocketListener implements WebSocketTransport.Listener {
        private final int forSession;
        private final BotIdentity who;

        SocketListener(int forSession, BotIdentity who) {
            this.forSession = forSession;
            this.who = who;
        }

        @Override
        public void onText(String text) {
            if (forSession != session) {
                return;
            }
            // Put for each frame: the reading thread may serve every bot's socket (the JDK's selector).
            MDC.put("team", team);
            lastFrameNanos = System.nanoTime();
            ctx.metrics().framesIn.increment();
            JsonNode frame;
            try {
                frame = ctx.json().readTree(text);
            } catch (IOException e) {
                ctx.metrics().framesMalformed.increment();
                log.warn("bot {}: frame from Slack is not JSON, skipped: {}", team, Redaction.excerpt(text, 0, 120));
                return;
            }
            if (frame == null || !frame.isObject()) {
                ctx.metrics().framesMalformed.increment();
                log.warn(
                        "bot {}: frame from Slack is not a JSON object, skipped: {}",
                        team,
                        Redaction.excerpt(text, 0, 120));
                return;
            }
            switch (frame.path("type").asText("")) {
                case "pong" -> missedPongs.set(0);
                case "hello" -> {
                    lock.lock();
                    try {
                        failures = 0;
                    } finally {
                        lock.unlock();
                    }
                }
                case "goodbye" -> reconnect(forSession, "goodbye", true);
                default -> handleEvent(frame);
            }
        }

        private void handleEvent(JsonNode frame) {
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
            if (t == null || filteredOut(t.event())) {
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
            ctx.events().offer(registration.id(), t);
        }

        private boolean filteredOut(WireEvent e) {
            return ctx.settings().mentionsAndDmsOnly()
                    && e.type().equals(Protocol.EVENT_MESSAGE_NEW)
                    && !e.im()
                    && !(!who.selfId().isEmpty()
                            && (e.text().contains("<@" + who.selfId() + ">")
                                    || e.text().contains("<@" + who.selfId() + "|")));
        }

        @Override
        public void onClosed(int code, String reason) {
            if (forSession != session) {
                return;
            }
            log.info("bot {}: Slack closed the socket (code {} {})", team, code, reason);
            reconnect(forSession, code == 1006 ? "dropped" : "closed", false);
        }
    }
}
