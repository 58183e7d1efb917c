/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import dev.relax.core.internal.Redaction;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One Slack websocket that stays connected: ask Slack for a URL ({@code rtm.connect},
 * {@code apps.connections.open}), open the socket, keep it alive, reconnect with back-off, and stop. The
 * same state machine serves an RTM bot and a Socket Mode connection; each {@link SocketProtocol} adds the
 * call that asks for the URL and what to do with event frames.
 *
 * <p>The one guard against stale callbacks: every attempt gets a new session number, and each socket
 * keeps the session that opened it. A login result, a retry timer or a socket's close, {@code goodbye},
 * {@code disconnect} or silence acts only while its session is the current one; so there is never a
 * second live socket by accident, and a stopped or disabled socket never connects or emits again.
 *
 * <p>Connection-control frames ({@code hello}, {@code goodbye}, {@code disconnect}, {@code pong}) are
 * handled apart from event frames ({@link SocketFrames}); Slack's errors mean what {@link SlackConnectErrors} says.
 *
 * <p>Liveness: a ping every {@code pingInterval}; a socket from which nothing was heard (no frame, no
 * pong) for {@code maxMissedPongs} intervals is dead and is replaced at once.
 *
 * <p>Threads: attempts run on {@code workers} (they block on Slack and the handshake); retries and pings
 * on {@code timers}; frames and closes on the transport's reading thread (the JDK's is shared by every
 * socket, so the MDC value is put around each callback and what was there put back). The state is guarded by
 * {@link #lock}, never held across I/O or a protocol callback other than {@link
 * SocketProtocol#reconnecting}, which only counts.
 */
public final class ReconnectingSocket {
    private static final Logger log = LoggerFactory.getLogger(ReconnectingSocket.class);

    /** Where the connection is in its life. */
    public enum State {
        STARTING,
        WAITING,
        CONNECTING,
        CONNECTED,
        DISABLED,
        STOPPED
    }

    /**
     * How the connection behaves.
     *
     * @param helloTimeout how long a new socket may take to say {@code hello} before it counts as failed;
     *     null: it is current as soon as it is open (RTM, which may send events before hello is read)
     */
    public record Settings(Duration pingInterval, int maxMissedPongs, Backoff backoff, Duration helloTimeout) {}

    private static final int ANY_SESSION = -1; // for disable(): the session current under the lock
    final String name;
    private final String mdcTeam;
    final Settings settings;
    final SocketResources res;
    final SocketProtocol protocol;

    private final Object lock = new Object();
    // Guarded by lock; session is also read without it (volatile), by reader and timer threads to drop
    // stale callbacks. sockets: every one not yet closed (the current one, one being opened, one replaced).
    private State state = State.STARTING;
    private volatile int session;
    private SocketHandle current;
    private final Set<SocketHandle> sockets = new HashSet<>();
    private int failures;
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> pendingAttempt;

    /**
     * @param name how logs name the connection ({@code bot T1}, {@code app A1 connection 0})
     * @param mdcTeam put in the MDC as {@code team} around work on shared threads; null for none
     */
    public ReconnectingSocket(String name, String mdcTeam, Settings settings, SocketResources res, SocketProtocol p) {
        this.name = name;
        this.mdcTeam = mdcTeam;
        this.settings = settings;
        this.res = res;
        this.protocol = p;
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The socket that carries the connection now, or null while there is none. */
    public SocketHandle current() {
        synchronized (lock) {
            return current;
        }
    }

    /** Starts connecting after {@code delay}, and pinging; only once. */
    public void start(Duration delay) {
        synchronized (lock) {
            if (state != State.STARTING) {
                return;
            }
            long every = settings.pingInterval().toMillis();
            pinger = res.timers().scheduleWithFixedDelay(this::checkAlive, every, every, TimeUnit.MILLISECONDS);
            scheduleAttempt(session, delay, null);
        }
    }

    /**
     * Stops for good: closes every socket with 1000 (one being opened and one being replaced too); what
     * was under way is ignored. Never blocks. False when it was stopped already.
     */
    public boolean stop(String reason) {
        List<SocketHandle> open;
        synchronized (lock) {
            if (state == State.STOPPED) {
                return false;
            }
            state = State.STOPPED;
            open = endSession();
        }
        open.forEach(s -> s.retire(1000, reason));
        return true;
    }

    /** Sends {@code text} on {@code preferred}, or on the current socket once that one closed. */
    public boolean send(SocketHandle preferred, String text) {
        if (preferred != null && preferred.send(text)) {
            return true;
        }
        SocketHandle other = current();
        return other != null && other != preferred && other.send(text);
    }

    /**
     * Closes {@code s}, a socket being replaced, before its replacement is current: from now on the
     * connection has no current socket until the replacement said hello.
     */
    public void retireReplaced(SocketHandle s, String reason) {
        synchronized (lock) {
            if (current == s) {
                current = null;
            }
        }
        s.retire(1000, reason);
    }

    // ---- attempts -------------------------------------------------------------------------------

    /** Caller holds the lock. */
    private void scheduleAttempt(int forSession, Duration delay, SocketHandle replacing) {
        if (current == null) {
            state = State.WAITING;
        }
        Runnable attempt = () -> res.workers().execute(new SocketAttempt(this, forSession, replacing));
        try {
            if (delay.isZero()) {
                attempt.run();
            } else {
                pendingAttempt = res.timers().schedule(attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            log.debug("{}: no reconnect, the broker is closing", name);
        }
    }

    boolean begin(int forSession) {
        synchronized (lock) {
            if (stale(forSession)) {
                return false;
            }
            if (current == null) {
                state = State.CONNECTING;
            }
            return true;
        }
    }

    boolean register(SocketHandle s) {
        synchronized (lock) {
            if (stale(s.session)) {
                return false;
            }
            sockets.add(s); // from here on stop() closes it, even before it is open
            return true;
        }
    }

    void forget(SocketHandle s) {
        synchronized (lock) {
            sockets.remove(s);
        }
    }

    void becomeCurrent(SocketHandle s) {
        SocketHandle old;
        synchronized (lock) {
            if (stale(s.session) || s.closed) {
                old = s; // stopped, or replaced while the handshake ran (a close already reconnected)
            } else {
                old = current;
                current = s;
                state = State.CONNECTED;
                s.lastHeard = res.ticker().getAsLong();
                if (settings.helloTimeout() != null) {
                    failures = 0;
                }
            }
        }
        if (old == s) {
            s.retire(1000, "replaced");
            return;
        }
        protocol.connected(s, old);
    }

    /** Retries after a failed attempt: after {@code retryAfter} (plus jitter) when Slack said, else back-off. */
    void retry(int forSession, String cause, String detail, Duration retryAfter) {
        synchronized (lock) {
            if (stale(forSession)) {
                return;
            }
            Duration delay = retryAfter != null
                    ? retryAfter.plus(settings.backoff().delay(0))
                    : settings.backoff().delay(failures);
            log.warn(
                    "{}: {}; retrying in {} ms (attempt {})",
                    name,
                    Redaction.redact(detail),
                    delay.toMillis(),
                    failures + 1);
            nextSession(cause, delay);
        }
    }

    /** Slack refused the token: no more attempts, every socket closed, then the protocol reports it. */
    void disable(int forSession, String error) {
        List<SocketHandle> open;
        synchronized (lock) {
            if (stale(forSession == ANY_SESSION ? session : forSession)) {
                return;
            }
            state = State.DISABLED;
            open = endSession();
        }
        open.forEach(s -> s.retire(1000, "token refused"));
        protocol.refused(error);
    }

    /** Caller holds the lock: one more failure, and a new attempt after {@code delay}. */
    private void nextSession(String cause, Duration delay) {
        protocol.reconnecting(cause);
        failures++;
        session++;
        scheduleAttempt(session, delay, null);
    }

    /**
     * Caller holds the lock, ending the connection for good: makes every callback stale, stops the pinger
     * and hands back the sockets to close.
     */
    private List<SocketHandle> endSession() {
        session++;
        current = null;
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (pendingAttempt != null) {
            pendingAttempt.cancel(false);
            pendingAttempt = null;
        }
        return List.copyOf(sockets);
    }

    /** Caller holds the lock. */
    private boolean stale(int forSession) {
        return forSession != session || state == State.STOPPED || state == State.DISABLED;
    }

    // ---- sockets --------------------------------------------------------------------------------

    /** Replaces {@code s} (closed, silent, said goodbye): now, or after back-off. */
    void reconnect(SocketHandle s, String cause, boolean now) {
        boolean act;
        synchronized (lock) {
            if (current == s) {
                current = null;
            }
            act = !stale(s.session) && !s.retired.get();
            if (act) {
                Duration delay = now ? Duration.ZERO : settings.backoff().delay(failures);
                log.info("{} reconnecting ({}) in {} ms", name, cause, delay.toMillis());
                nextSession(cause, delay);
            }
        }
        s.retire(1000, "reconnecting");
    }

    /** Opens a new socket beside {@code s}, which stays current until the new one said hello. */
    void refresh(SocketHandle s) {
        synchronized (lock) {
            if (stale(s.session) || current != s) {
                return;
            }
            session++;
            scheduleAttempt(session, Duration.ZERO, s);
        }
    }

    private void checkAlive() {
        SocketHandle s;
        synchronized (lock) {
            s = current;
        }
        if (s == null) {
            return;
        }
        long silent = res.ticker().getAsLong() - s.lastHeard;
        long limit = settings.pingInterval().toNanos() * settings.maxMissedPongs();
        if (silent > limit) {
            log.warn("{}: nothing heard for {} ms; the socket is dead", name, TimeUnit.NANOSECONDS.toMillis(silent));
            reconnect(s, "missed_pongs", true);
            return;
        }
        protocol.ping(s);
    }

    /** True once stopped or disabled: frames are dropped unread. */
    boolean over() {
        State now = state();
        return now == State.STOPPED || now == State.DISABLED;
    }

    /** Disables whatever the session ({@code link_disabled} said on any socket of the link). */
    void disableNow(String error) {
        disable(ANY_SESSION, error); // the session is read under the lock: a reconnect meanwhile can't void it
    }

    /** A socket said hello: the attempt worked, back-off starts over. */
    void hello(SocketHandle s) {
        synchronized (lock) {
            if (!stale(s.session)) {
                failures = 0;
            }
        }
        s.helloSeen = true;
        s.hello.countDown();
    }

    void onClosed(SocketHandle s, int code, String reason) {
        s.closed = true; // before the lock: becomeCurrent checks it under the lock
        s.hello.countDown();
        s.closedLatch.countDown();
        s.runCloseHooks();
        boolean mine;
        synchronized (lock) {
            sockets.remove(s);
            mine = !stale(s.session) && !s.retired.get();
            if (!mine && current == s) {
                current = null; // a socket a refresh is replacing: the refresh goes on
            }
        }
        if (mine) {
            String previousMdc = putMdc();
            try {
                log.info("{}: Slack closed the socket (code {} {})", name, code, reason);
                reconnect(s, code == 1006 ? "dropped" : "closed", false);
            } finally {
                restoreMdc(previousMdc);
            }
        }
    }

    /** Puts the team in the MDC; hands back what it replaced (a frame read inside nv's connect() runs on the attempt's thread). */
    String putMdc() {
        String previous = mdcTeam == null ? null : MDC.get("team");
        if (mdcTeam != null) {
            MDC.put("team", mdcTeam);
        }
        return previous;
    }

    /** Puts back what {@link #putMdc} replaced: on a shared reading thread, nothing, so nothing stays set. */
    void restoreMdc(String previous) {
        if (mdcTeam != null && previous == null) {
            MDC.remove("team");
        } else if (mdcTeam != null) {
            MDC.put("team", previous);
        }
    }
}
