package dev.relax.broker.internal.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.broker.internal.slack.SlackWebApi;
import dev.relax.broker.internal.slack.WebSocketTransport;
import dev.relax.core.internal.Redaction;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Socket Mode connection of an app, held under one lease (a "slot"): {@code apps.connections.open}
 * with the app-level token, the websocket, {@code hello}, then envelopes until the link is stopped
 * (https://api.slack.com/apis/socket-mode).
 *
 * <ul>
 *   <li>A {@code disconnect} with {@code refresh_requested} or {@code warning} opens a new socket first
 *       and closes the old one only once the new one said {@code hello}, so there is no gap, when a
 *       spare slot can be leased for the overlap ({@link SocketModeApp#takeSpare}); otherwise (an app
 *       with 10 connections, say) it closes the old socket first and then opens the new one, so that
 *       the app never has more than Slack's 10 sockets ({@link #makeRoomFor}).
 *   <li>{@code link_disabled}, or a token Slack refuses, disables the whole app ({@link SocketModeApp#disable}).
 *   <li>A socket that closes, or stays silent through {@code maxMissedPongs} ping intervals, is replaced
 *       with back-off and jitter; a 429 from {@code apps.connections.open} waits its {@code Retry-After}.
 * </ul>
 *
 * Blocking work runs on the broker's virtual-thread workers; the state is guarded by {@link #lock},
 * which is never held across I/O.
 */
final class SocketModeLink {
    private static final Logger log = LoggerFactory.getLogger(SocketModeLink.class);

    /** Errors of apps.connections.open that no retry will fix (https://api.slack.com/methods/apps.connections.open). */
    static final Set<String> FATAL = Set.of(
            "invalid_auth",
            "not_authed",
            "token_revoked",
            "token_expired",
            "account_inactive",
            "not_allowed_token_type",
            "app_uninstalled",
            "no_permission",
            "missing_scope");

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
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private Socket current;
    /** Every socket of the link not yet closed: the current one, one being opened, one being replaced. */
    private final Set<Socket> sockets = new java.util.HashSet<>();

    private boolean connecting;
    private boolean stopped;
    /** Written under lock; read by back-off computations outside it. */
    private volatile int failures;

    private ScheduledFuture<?> pinger;

    /**
     * Until when (nanoTime) the slot's lease is surely ours: when the last renewal that Redis granted was
     * sent, plus the TTL. Written by the owner's tick thread, read by its lease watchdog.
     */
    private volatile long leaseValidUntil;

    SocketModeLink(AppContext ctx, SocketModeApp owner, int slot, long leaseValidUntil) {
        this.ctx = ctx;
        this.owner = owner;
        this.slot = slot;
        this.leaseValidUntil = leaseValidUntil;
    }

    long leaseValidUntil() {
        return leaseValidUntil;
    }

    void leaseValidUntil(long nanoTime) {
        leaseValidUntil = nanoTime;
    }

    /** Connects in the background. */
    void start() {
        lock.lock();
        try {
            pinger = ctx.timers()
                    .scheduleWithFixedDelay(
                            this::checkAlive,
                            ctx.pingInterval().toMillis(),
                            ctx.pingInterval().toMillis(),
                            TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
        connectSoon(Duration.ZERO);
    }

    /** True while a socket of this link is open and said hello. */
    boolean open() {
        lock.lock();
        try {
            return current != null && !stopped;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes every socket of the link with 1000, including one still being opened and one a refresh is
     * replacing; no reconnect follows. Never blocks (the lease watchdog calls it on a timer thread).
     */
    void stop(String reason) {
        List<Socket> open;
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            stopped = true;
            current = null;
            open = List.copyOf(sockets);
            if (pinger != null) {
                pinger.cancel(false);
            }
        } finally {
            lock.unlock();
        }
        open.forEach(s -> s.retire(1000, reason));
        log.info("app {} connection {}: stopped ({})", owner.appId(), slot, reason);
    }

    /** Sends an acknowledgement on {@code socket}, or on the link's current socket once that one closed. */
    void ack(Socket socket, String envelopeId) {
        String frame = "{\"envelope_id\":" + dev.relax.core.json.RelaxJson.quote(envelopeId) + "}";
        if (socket.send(frame)) {
            ctx.metrics().envelopesAcked.increment();
            return;
        }
        Socket other;
        lock.lock();
        try {
            other = current;
        } finally {
            lock.unlock();
        }
        if (other != null && other != socket && other.send(frame)) {
            ctx.metrics().envelopesAcked.increment();
        } else {
            // Slack redelivers an envelope it saw no ack for; the event is in Redis and is deduplicated.
            log.info(
                    "app {} connection {}: could not acknowledge envelope {}: socket closed",
                    owner.appId(),
                    slot,
                    envelopeId);
        }
    }

    private void connectSoon(Duration delay) {
        connectSoon(delay, null);
    }

    /** Connects on a worker after {@code delay}, as a refresh of {@code replacing} when it is not null. */
    private void connectSoon(Duration delay, Socket replacing) {
        lock.lock();
        try {
            if (stopped || connecting) {
                return;
            }
            connecting = true;
        } finally {
            lock.unlock();
        }
        Runnable attempt = () -> ctx.workers().execute(() -> connect(replacing));
        if (delay.isZero()) {
            attempt.run();
        } else {
            ctx.timers().schedule(attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Opens a socket and, once it said hello, makes it the current one, retiring the one it replaces.
     * Called with {@code connecting} set; clears it.
     */
    private void connect(Socket replacing) {
        Duration retryIn = null;
        try {
            if (replacing != null) {
                makeRoomFor(replacing);
            }
            retryIn = connectOnce();
        } catch (RuntimeException e) {
            // The message may quote a URL with its ticket: logged redacted, without the raw throwable.
            log.error(
                    "app {} connection {}: connecting failed: {} at {}",
                    owner.appId(),
                    slot,
                    Redaction.redact(e.toString()),
                    e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
            retryIn = ctx.backoff().delay(failures);
        } finally {
            lock.lock();
            try {
                connecting = false;
                if (retryIn != null) {
                    failures++;
                }
            } finally {
                lock.unlock();
            }
        }
        if (retryIn != null) {
            connectSoon(retryIn);
        }
    }

    /** One attempt; null when connected (or stopped), else how long to wait before the next. */
    private Duration connectOnce() {
        if (isStopped()) {
            return null;
        }
        SlackWebApi.Response r;
        try {
            r = ctx.api().call("apps.connections.open", owner.registration().appToken(), Map.of());
        } catch (IOException e) {
            Duration d = ctx.backoff().delay(failures);
            log.warn(
                    "app {} connection {}: apps.connections.open failed ({}); retrying in {} ms",
                    owner.appId(),
                    slot,
                    e.toString(),
                    d.toMillis());
            return d;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (!r.ok()) {
            String error = r.error();
            if (FATAL.contains(error)) {
                owner.disable(error);
                return null;
            }
            Duration d = r.status() == 429 && r.retryAfter().isPresent()
                    ? r.retryAfter().get().plus(ctx.backoff().delay(0))
                    : ctx.backoff().delay(failures);
            log.warn(
                    "app {} connection {}: apps.connections.open answered {}; retrying in {} ms",
                    owner.appId(),
                    slot,
                    error,
                    d.toMillis());
            return d;
        }
        String url = r.body().path("url").asText("");
        Socket s = new Socket();
        lock.lock();
        try {
            if (stopped) {
                return null;
            }
            sockets.add(s); // from here on stop() closes it, even before it is open
        } finally {
            lock.unlock();
        }
        try {
            s.attach(ctx.transport().connect(URI.create(url), s));
        } catch (IOException | IllegalArgumentException e) {
            forget(s);
            Duration d = ctx.backoff().delay(failures);
            log.warn(
                    "app {} connection {}: websocket failed ({}); retrying in {} ms",
                    owner.appId(),
                    slot,
                    Redaction.redact(e.getMessage()),
                    d.toMillis());
            return d;
        }
        boolean hello;
        try {
            hello = s.hello.await(HELLO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.retire(1000, "broker stopping");
            return null;
        }
        if (!hello || !s.helloSeen || s.closed) {
            s.retire(1000, "no hello");
            Duration d = ctx.backoff().delay(failures);
            log.warn(
                    "app {} connection {}: {}; retrying in {} ms",
                    owner.appId(),
                    slot,
                    s.closed ? "socket closed before hello" : "no hello within " + HELLO_TIMEOUT.toSeconds() + " s",
                    d.toMillis());
            return d;
        }
        Socket old;
        lock.lock();
        try {
            if (stopped) {
                old = s;
            } else if (s.closed) {
                // Closed between hello and here: onClosed saw it was not current yet, so retry from here.
                return ctx.backoff().delay(failures);
            } else {
                old = current;
                current = s;
                failures = 0;
            }
        } finally {
            lock.unlock();
        }
        if (old == s) {
            s.retire(1000, "link stopped");
            return null;
        }
        if (old != null && !old.hasSpare()) {
            // Only a socket that counts under a spare slot may stay open beside its replacement.
            old.retire(1000, "replaced by a fresh connection");
            log.info("app {} connection {}: refreshed", owner.appId(), slot);
        } else if (old != null) {
            // A refresh under a spare slot: the new socket is up, so the old one goes, after a grace for
            // its last acks (https://api.slack.com/apis/socket-mode#disconnect), or sooner if its spare
            // lease would lapse first (makeRoomFor).
            try {
                ctx.timers()
                        .schedule(
                                () -> old.retire(1000, "replaced by a fresh connection"),
                                REFRESH_GRACE.toMillis(),
                                TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                old.retire(1000, "replaced by a fresh connection"); // the broker is closing
            }
            log.info("app {} connection {}: refreshed", owner.appId(), slot);
        } else {
            log.info("app {} connection {}: connected", owner.appId(), slot);
        }
        return null;
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
    private void makeRoomFor(Socket old) {
        lock.lock();
        try {
            if (old != current || stopped) {
                return; // closed or replaced meanwhile: nothing to make room for
            }
        } finally {
            lock.unlock();
        }
        SocketModeApp.Spare spare = owner.takeSpare();
        if (spare != null) {
            old.countUnder(spare);
            long endBy = spare.validUntil() - ctx.leaseSafetyMargin().toNanos() - System.nanoTime();
            try {
                ctx.timers().schedule(() -> endOverlap(old), Math.max(0, endBy), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                endOverlap(old); // the broker is closing
            }
            return;
        }
        log.info(
                "app {} connection {}: refresh without a spare slot below Slack's 10 sockets: closing the old "
                        + "socket before opening its replacement (envelopes it delivered that are not yet "
                        + "acknowledged are redelivered by Slack)",
                owner.appId(),
                slot);
        endOverlap(old);
        if (!old.awaitClosed(CLOSE_WAIT)) {
            log.warn(
                    "app {} connection {}: the old socket did not close within {} s; opening its replacement anyway",
                    owner.appId(),
                    slot,
                    CLOSE_WAIT.toSeconds());
        }
    }

    /** Closes {@code old}, a socket being replaced; the replacement goes on opening (or is retried). */
    private void endOverlap(Socket old) {
        lock.lock();
        try {
            if (current == old) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
        old.retire(1000, "refreshed");
    }

    private boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    private void onFrame(Socket s, String text) {
        JsonNode frame;
        try {
            frame = ctx.json().readTree(text);
        } catch (IOException e) {
            frame = null;
        }
        if (frame == null || !frame.isObject()) {
            ctx.metrics().framesMalformed.increment();
            log.warn(
                    "app {} connection {}: unreadable Socket Mode frame ignored: {}",
                    owner.appId(),
                    slot,
                    Redaction.excerpt(text, 0, 120));
            return;
        }
        String type = frame.path("type").asText("");
        switch (type) {
            case "hello" -> {
                s.helloSeen = true;
                s.hello.countDown();
            }
            case "disconnect" -> onDisconnect(s, frame.path("reason").asText(""));
            case "events_api", "slash_commands", "interactive" -> owner.envelope(this, s, frame);
            default -> {
                String envelopeId = frame.path("envelope_id").asText("");
                if (!envelopeId.isEmpty()) {
                    ack(s, envelopeId);
                }
                log.debug("app {} connection {}: frame of type '{}' ignored", owner.appId(), slot, type);
            }
        }
    }

    private void onDisconnect(Socket s, String reason) {
        log.info("app {} connection {}: Slack sent disconnect ({})", owner.appId(), slot, reason);
        switch (reason) {
            case "link_disabled" -> owner.disable("link_disabled");
            case "too_many_websockets" -> {
                // Slack closes this socket; the close handler reconnects with back-off.
            }
            default -> {
                // refresh_requested, warning and anything newer: replace the socket (makeRoomFor).
                lock.lock();
                try {
                    if (s != current) {
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                connectSoon(Duration.ZERO, s);
            }
        }
    }

    private void forget(Socket s) {
        lock.lock();
        try {
            sockets.remove(s);
        } finally {
            lock.unlock();
        }
    }

    private void onClosed(Socket s, int code, String reason) {
        s.closed = true; // before the lock: connectOnce checks it under the lock before making s current
        s.hello.countDown();
        s.closedLatch.countDown();
        s.releaseSpare();
        boolean reconnect;
        lock.lock();
        try {
            sockets.remove(s);
            reconnect = s == current && !stopped;
            if (s == current) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
        if (reconnect && !s.retired.get()) {
            ctx.metrics().reconnect("socket_mode_closed");
            Duration d = ctx.backoff().delay(failures);
            log.warn(
                    "app {} connection {}: socket closed ({} {}); reconnecting in {} ms",
                    owner.appId(),
                    slot,
                    code,
                    reason,
                    d.toMillis());
            connectSoon(d);
        }
    }

    /** Pings the current socket; replaces it when nothing was heard for {@code maxMissedPongs} intervals. */
    private void checkAlive() {
        Socket s;
        lock.lock();
        try {
            s = current;
        } finally {
            lock.unlock();
        }
        if (s == null) {
            return;
        }
        long silentNanos = System.nanoTime() - s.lastHeardNanos;
        long limit = ctx.pingInterval().toNanos() * ctx.maxMissedPongs();
        if (silentNanos > limit) {
            log.warn(
                    "app {} connection {}: nothing heard for {} ms; replacing the socket",
                    owner.appId(),
                    slot,
                    TimeUnit.NANOSECONDS.toMillis(silentNanos));
            ctx.metrics().reconnect("socket_mode_silent");
            lock.lock();
            try {
                if (current == s) {
                    current = null;
                }
            } finally {
                lock.unlock();
            }
            s.retire(1000, "silent");
            connectSoon(Duration.ZERO);
            return;
        }
        s.ping();
    }

    /** One websocket of the link. */
    final class Socket implements WebSocketTransport.Listener {
        final CompletableFuture<WebSocketTransport.Connection> connection = new CompletableFuture<>();
        final CountDownLatch hello = new CountDownLatch(1);
        final AtomicBoolean retired = new AtomicBoolean();
        private final AtomicBoolean closeSent = new AtomicBoolean();
        private final CountDownLatch closedLatch = new CountDownLatch(1);
        /** The spare lease this socket counts under while a refresh replaces it; given back once it closed. */
        private final java.util.concurrent.atomic.AtomicReference<SocketModeApp.Spare> spare =
                new java.util.concurrent.atomic.AtomicReference<>();

        volatile boolean helloSeen;
        volatile boolean closed;
        volatile long lastHeardNanos = System.nanoTime();

        @Override
        public void onText(String text) {
            lastHeardNanos = System.nanoTime();
            onFrame(this, text);
        }

        @Override
        public void onPong() {
            lastHeardNanos = System.nanoTime();
        }

        @Override
        public void onClosed(int code, String reason) {
            SocketModeLink.this.onClosed(this, code, reason);
        }

        boolean send(String text) {
            WebSocketTransport.Connection c = connection.getNow(null);
            return c != null && !retired.get() && c.sendText(text);
        }

        void ping() {
            WebSocketTransport.Connection c = connection.getNow(null);
            if (c != null) {
                c.sendPing();
            }
        }

        boolean hasSpare() {
            return spare.get() != null;
        }

        /** From now on this socket counts under {@code lease}, which goes back once the socket closed. */
        void countUnder(SocketModeApp.Spare lease) {
            spare.set(lease);
            if (closed) {
                releaseSpare(); // closed meanwhile: onClosed may have looked before the set
            }
        }

        void releaseSpare() {
            SocketModeApp.Spare lease = spare.getAndSet(null);
            if (lease != null) {
                owner.releaseSpare(lease);
            }
        }

        /** Waits until the socket closed; false on timeout. */
        boolean awaitClosed(Duration timeout) {
            try {
                return closedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** The handshake is done: the socket is open, or closed at once if it was retired meanwhile. */
        void attach(WebSocketTransport.Connection c) {
            connection.complete(c);
            if (retired.get()) {
                closeOnce(c, 1000, "link stopped");
            }
        }

        /** Closes the socket on purpose (once it is open, if it is still opening): no reconnect follows. */
        void retire(int code, String reason) {
            if (retired.compareAndSet(false, true)) {
                WebSocketTransport.Connection c = connection.getNow(null);
                if (c != null) {
                    closeOnce(c, code, reason);
                }
            }
        }

        private void closeOnce(WebSocketTransport.Connection c, int code, String reason) {
            if (closeSent.compareAndSet(false, true)) {
                c.close(code, reason);
            }
        }
    }
}
