/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.rotation;

import dev.relax.broker.internal.apps.AppEvent;
import dev.relax.broker.internal.apps.AppEventTranslator;
import dev.relax.broker.internal.calls.ExpiredTokens;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.slack.Arrival;
import dev.relax.core.EncryptionKeys;
import dev.relax.core.RelaxException;
import dev.relax.core.Secret;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the rotating tokens of one installation at a time, under its lock in Redis: Slack's refresh
 * tokens are single-use, so two brokers redeeming one would leave the loser with {@code
 * invalid_refresh_token} and, worse, might store a pair whose refresh token is already spent. After taking
 * the lock the installation is read again (another broker may just have refreshed it), and the new pair is
 * written only over the value read ({@link RotationStore#REPLACE}), with {@code installation_added}
 * published so that brokers drop what they cached. A refresh Slack refuses for good disables the
 * installation: removed (once, by compare-and-delete) with {@code installation_removed}, and one {@code
 * disable_bot} with {@code relax_app_id} in the events queue. Thread-safe; blocking (virtual threads).
 */
public final class TokenRefresher implements ExpiredTokens {
    private static final Logger log = LoggerFactory.getLogger(TokenRefresher.class);

    /**
     * Far longer than a refresh can take (two redemptions at the HTTP timeout, the store's retries, Redis's
     * command timeouts): a lock that lapsed mid-refresh would let another broker redeem the spent refresh
     * token and remove a healthy installation. Still short enough that a dead broker's lock soon lapses.
     */
    static final Duration LOCK_TTL = Duration.ofMinutes(2);
    /** How long a call that met {@code token_expired} waits for another broker's refresh. */
    static final Duration WAIT_FOR_OTHER = Duration.ofSeconds(5);

    private static final Duration POLL = Duration.ofMillis(50);

    /** Tries at storing a refreshed pair while Redis fails: about 10 s in all. */
    private static final int STORE_TRIES = 8;

    private final RotationStore store;
    private final OAuthRefreshClient slack;
    private final AppEventTranslator translator;
    private final EventWriter events;
    private final BrokerMetrics metrics;
    private final EncryptionKeys keys;
    private final Clock clock;
    private final String brokerId;
    private final Duration margin;
    /** Apps Slack answered 429 for, until their {@code Retry-After} is over; any thread. */
    private final Map<String, Instant> heldUntil = new ConcurrentHashMap<>();

    TokenRefresher(
            RotationStore store,
            OAuthRefreshClient slack,
            AppEventTranslator translator,
            EventWriter events,
            BrokerMetrics metrics,
            EncryptionKeys keys,
            Clock clock,
            String brokerId,
            Duration margin) {
        this.store = store;
        this.slack = slack;
        this.translator = translator;
        this.events = events;
        this.metrics = metrics;
        this.keys = keys;
        this.clock = clock;
        this.brokerId = brokerId;
        this.margin = margin;
    }

    /** Whether the scan should leave {@code appId} alone for now: Slack rate-limited its refreshes. */
    boolean held(String appId) {
        Instant until = heldUntil.get(appId);
        if (until == null) {
            return false;
        }
        if (clock.instant().isBefore(until)) {
            return true;
        }
        heldUntil.remove(appId, until);
        return false;
    }

    /** Whether a token of {@code installation} expires within the margin (or has expired). */
    boolean due(Installation installation) {
        Instant limit = clock.instant().plus(margin);
        return botDue(installation, limit) || userDue(installation, limit);
    }

    private static boolean botDue(Installation i, Instant limit) {
        return i.rotatesBotToken()
                && i.botTokenExpiresAt() != null
                && !i.botTokenExpiresAt().isAfter(limit);
    }

    private static boolean userDue(Installation i, Instant limit) {
        return !i.userRefreshToken().isEmpty()
                && i.userTokenExpiresAt() != null
                && !i.userTokenExpiresAt().isAfter(limit);
    }

    /**
     * Refreshes the installation of {@code field} if it is still due once its lock is taken; does nothing
     * when another broker holds the lock (it is refreshing it). Returns how a refresh ended, if one was tried.
     */
    Optional<Ended> refreshIfDue(String field) throws InterruptedException {
        if (!store.lock(field, brokerId, LOCK_TTL)) {
            return Optional.empty();
        }
        try {
            return Optional.of(refreshLocked(field, this::due, Secret.of("")));
        } finally {
            store.unlock(field, brokerId);
        }
    }

    @Override
    public Optional<Installation> renew(Installation expired) throws InterruptedException {
        if (!expired.rotatesBotToken()) {
            return Optional.empty();
        }
        String field = expired.hashField();
        long deadline = System.nanoTime() + WAIT_FOR_OTHER.toNanos();
        while (true) {
            if (store.lock(field, brokerId, LOCK_TTL)) {
                try {
                    Ended ended = refreshLocked(
                            field, i -> i.botToken().equals(expired.botToken()) || due(i), expired.botToken());
                    return ended.installation().filter(i -> !i.botToken().equals(expired.botToken()));
                } finally {
                    store.unlock(field, brokerId);
                }
            }
            // Another broker refreshes it: its result is what this call needs.
            Optional<Installation> now = read(field);
            if (now.isEmpty()) {
                return now;
            }
            if (!now.get().botToken().equals(expired.botToken())) {
                return now;
            }
            if (System.nanoTime() - deadline > 0) {
                log.warn(
                        "app {} team {}: the token expired and another broker's refresh did not land within {} ms",
                        expired.appId(),
                        expired.teamId(),
                        WAIT_FOR_OTHER.toMillis());
                return Optional.empty();
            }
            Thread.sleep(POLL);
        }
    }

    /** How a refresh ended, and the installation stored afterwards (empty: none, or unreadable). */
    record Ended(String result, Optional<Installation> installation) {}

    /**
     * With the lock held: reads the installation again and, when {@code needed} still holds, redeems its
     * refresh tokens and stores the new pair over what was read. {@code expiredBot}: a bot token a call saw
     * expire (refreshed whatever its recorded expiry), or empty.
     */
    private Ended refreshLocked(String field, Predicate<Installation> needed, Secret expiredBot)
            throws InterruptedException {
        String raw = store.installation(field);
        if (raw == null) {
            return new Ended("gone", Optional.empty());
        }
        Installation current;
        try {
            current = RelaxJson.decodeInstallation(raw, keys);
        } catch (RelaxException e) { // the message names the field and never the secret
            log.warn("installation {} cannot be read to refresh its token ({})", field, e.getMessage());
            return new Ended("unreadable", Optional.empty());
        }
        if (!needed.test(current)) {
            return new Ended("current", Optional.of(current));
        }
        String appId = current.appId();
        String team = field.substring(appId.length() + 1);
        AppRegistration app = app(appId);
        if (app == null || !app.oauth().enabled()) {
            log.warn(
                    "app {} team {}: its token needs a refresh but the app has no client id and secret registered;"
                            + " register them (AppRegistration.withOAuth)",
                    appId,
                    team);
            metrics.tokenRefreshesFailed.increment();
            return new Ended("failed", Optional.of(current));
        }
        Instant limit = clock.instant().plus(margin);
        Installation.Builder updated = current.mutate();
        if (current.rotatesBotToken()
                && (botDue(current, limit)
                        || (!expiredBot.isEmpty() && current.botToken().equals(expiredBot)))) {
            OAuthRefreshClient.Answer answer = slack.refresh(app.oauth(), current.botRefreshToken());
            if (answer instanceof OAuthRefreshClient.Refreshed r) {
                updated.bot(current.botUserId(), r.token(), current.botScopes())
                        .botRotation(r.refreshToken(), clock.instant().plus(r.expiresIn()));
            } else {
                return unrefreshed(field, raw, current, app, team, "bot", answer);
            }
        }
        if (userDue(current, limit)) {
            OAuthRefreshClient.Answer answer = slack.refresh(app.oauth(), current.userRefreshToken());
            if (answer instanceof OAuthRefreshClient.Refreshed r) {
                updated.user(r.token(), current.userScopes())
                        .userRotation(r.refreshToken(), clock.instant().plus(r.expiresIn()));
            } else if (answer instanceof OAuthRefreshClient.Refused refused) {
                // The bot goes on; only the user token is gone for good.
                log.warn(
                        "app {} team {}: Slack refused to refresh the user token ({}); the installation keeps its"
                                + " bot token and loses its user token",
                        appId,
                        team,
                        refused.error());
                updated.user(Secret.of(""), "").userRotation(Secret.of(""), null);
            } else {
                logFailed(appId, team, "user", (OAuthRefreshClient.Failed) answer);
            }
        }
        Installation next = updated.build();
        if (!replaceRetrying(field, raw, RelaxJson.encodeInstallation(next, keys), current, appId, team)) {
            // Written meanwhile by someone who holds no lock: a new install through OAuth, or by hand.
            log.warn(
                    "app {} team {}: the installation changed while its token was refreshed; the new one stays"
                            + " and this refresh is dropped",
                    appId,
                    team);
            metrics.tokenRefreshesFailed.increment();
            return new Ended("changed", read(field));
        }
        metrics.tokenRefreshesOk.increment();
        log.info(
                "app {} team {}: token refreshed; the bot token now expires at {}",
                appId,
                team,
                next.botTokenExpiresAt());
        return new Ended("ok", Optional.of(next));
    }

    /**
     * Stores the refreshed pair, retrying while Redis fails: Slack has spent the old refresh token, so a pair
     * dropped here would leave the installation unable to refresh at its next expiry. A value rewritten
     * meanwhile with the same refresh tokens ({@code reencrypt} sealing it again, or the same installation
     * added again) is still this refresh's to replace. Returns false when the installation really changed
     * (installed anew: that one stays).
     */
    private boolean replaceRetrying(
            String field, String raw, String next, Installation redeemed, String appId, String team) {
        String expected = raw;
        for (int attempt = 1; ; attempt++) {
            try {
                if (store.replace(field, expected, next, appId, team)) {
                    return true;
                }
                String now = store.installation(field);
                if (now == null || attempt == STORE_TRIES) {
                    return false;
                }
                Installation stored = RelaxJson.decodeInstallation(now, keys);
                if (!stored.botRefreshToken().equals(redeemed.botRefreshToken())
                        || !stored.userRefreshToken().equals(redeemed.userRefreshToken())) {
                    return false;
                }
                expected = now; // the same tokens, written again: replace that
            } catch (RuntimeException e) {
                if (attempt == STORE_TRIES) {
                    log.error(
                            "app {} team {}: the refreshed token could not be stored after {} tries ({}); Slack has"
                                    + " spent the old refresh token, so the installation must be installed again"
                                    + " once its token expires",
                            appId,
                            team,
                            attempt,
                            e.toString());
                    throw e;
                }
                log.warn(
                        "app {} team {}: storing the refreshed token failed, try {} of {} ({}); trying again",
                        appId,
                        team,
                        attempt,
                        STORE_TRIES,
                        e.toString());
                try {
                    Thread.sleep(Math.min(2_000L, 100L << attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The bot token could not be refreshed: disable the installation if Slack refused for good. */
    private Ended unrefreshed(
            String field,
            String raw,
            Installation current,
            AppRegistration app,
            String team,
            String which,
            OAuthRefreshClient.Answer answer) {
        if (answer instanceof OAuthRefreshClient.Failed failed) {
            logFailed(app.appId(), team, which, failed);
            return new Ended("failed", Optional.of(current));
        }
        String error = ((OAuthRefreshClient.Refused) answer).error();
        metrics.tokenRefreshesRefused.increment();
        if (!store.remove(field, raw, app.appId(), team)) {
            log.info(
                    "app {} team {}: refresh refused ({}) for an installation already changed",
                    app.appId(),
                    team,
                    error);
            return new Ended("refused", Optional.empty());
        }
        log.error(
                "app {} team {}: Slack refused to refresh its {} token ({}); the installation is removed and"
                        + " disable_bot emitted; the workspace must install the app again",
                app.appId(),
                team,
                which,
                error);
        AppEvent event = translator.installationDisabled(
                app, team, current.botUserId(), error, fingerprint(current.botRefreshToken()));
        events.offer(event.bot(), event.translated(), Arrival.now(Arrival.Transport.BROKER));
        return new Ended("refused", Optional.empty());
    }

    private void logFailed(String appId, String team, String which, OAuthRefreshClient.Failed failed) {
        metrics.tokenRefreshesFailed.increment();
        failed.retryAfter()
                .ifPresent(wait -> heldUntil.put(appId, clock.instant().plus(wait)));
        log.warn(
                "app {} team {}: refreshing its {} token failed ({}{}); trying again later",
                appId,
                team,
                which,
                failed.reason(),
                failed.retryAfter()
                        .map(d -> ", Retry-After " + d.toSeconds() + " s")
                        .orElse(""));
    }

    private Optional<Installation> read(String field) {
        String raw = store.installation(field);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(RelaxJson.decodeInstallation(raw, keys));
        } catch (RelaxException e) {
            return Optional.empty();
        }
    }

    private AppRegistration app(String appId) {
        String raw = store.app(appId);
        if (raw == null) {
            return null;
        }
        try {
            return RelaxJson.decodeApp(raw, keys);
        } catch (RelaxException e) {
            log.warn("app {}: its registration cannot be read to refresh a token ({})", appId, e.getMessage());
            return null;
        }
    }

    /** A short digest of a secret: names it in a dedupe key without revealing it. */
    static String fingerprint(Secret secret) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(secret.reveal().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
