/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One question, one answer, across every relay instance: the Redis keys that say who answers a question,
 * whether it was answered, and which message its answer opened (docs/relay.md, "Operations").
 *
 * <p>An instance takes a question with a lease ({@code SET NX PX}) and renews it while it answers; one
 * that is killed stops renewing, so the lease lapses and the instance that gets the event again (the
 * consumer's at-least-once delivery) takes it over. The ts of the first message the answer opened is
 * kept beside the lease, so the new instance rewrites that message rather than posting a second one.
 * An answered question is remembered for a day: an event delivered again (Slack's retry, a consumer's
 * crash after the answer) is not answered twice.
 *
 * <p>Keys, under {@code <events queue>:relay:}: {@code {<id>}:claim} (the owner, with the lease), {@code
 * {<id>}:message} (the first message's ts), {@code {<id>}:answered}, and {@code thread:<team>:<channel>:<ts>}
 * for the threads the bot answered in (a week). The question's keys share a hash tag, so the scripts work
 * on Redis Cluster too; on a cluster the events queue carries the deployment's tag, which comes first and
 * so wins: every relay key lives in the deployment's slot. Thread-safe as the connection it is given is.
 */
final class QuestionClaims {
    private static final Logger log = LoggerFactory.getLogger(QuestionClaims.class);
    static final Duration ANSWERED_FOR = Duration.ofDays(1);
    static final Duration THREADS_FOR = Duration.ofDays(7);

    /** KEYS: answered, claim, message. ARGV: owner, lease ms. Re-entrant: the owner gets its claim back. */
    private static final String ACQUIRE =
            """
            if redis.call('EXISTS', KEYS[1]) == 1 then return {'answered', ''} end
            if redis.call('GET', KEYS[2]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[2], ARGV[2])
              return {'acquired', redis.call('GET', KEYS[3]) or ''}
            end
            if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return {'acquired', redis.call('GET', KEYS[3]) or ''}
            end
            return {'busy', ''}
            """;
    /** KEYS: claim. ARGV: owner, lease ms. */
    private static final String RENEW =
            """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """;
    /** KEYS: claim, message. ARGV: owner, ts, seconds. Only the owner's first message is kept. */
    private static final String OPENED =
            """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('SET', KEYS[2], ARGV[2], 'NX', 'EX', ARGV[3])
              return 1
            end
            return 0
            """;
    /**
     * KEYS: answered, claim, message. ARGV: owner, answered seconds. Nothing changes while another instance
     * holds the claim: an instance that lost its claim must neither take the message from the one that took
     * over nor mark as answered a question whose answer that one is still writing (if it is killed too, the
     * next delivery must complete the answer).
     */
    private static final String FINISH =
            """
            local holder = redis.call('GET', KEYS[2])
            if holder and holder ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], '1', 'EX', ARGV[2])
            redis.call('DEL', KEYS[2])
            redis.call('DEL', KEYS[3])
            return 1
            """;
    /** KEYS: claim. ARGV: owner. */
    private static final String RELEASE =
            """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    /** What {@link #acquire} found. */
    sealed interface Claim {}

    /** The question was answered already. */
    record Answered() implements Claim {}

    /** Another instance holds the lease: it answers, unless it stopped and the lease lapses. */
    record Busy() implements Claim {}

    /**
     * This instance answers. {@code openedTs} is the message an earlier, stopped instance opened for
     * this answer (to rewrite), or empty.
     */
    record Acquired(String openedTs) implements Claim {}

    private final RedisClusterCommands<String, String> redis;
    private final String prefix;
    private final String owner;
    private final Duration lease;

    /**
     * @param eventsQueue the events queue the relay consumes; the keys live under it
     * @param owner this instance's id, unique per process
     */
    QuestionClaims(RedisClusterCommands<String, String> redis, String eventsQueue, String owner, Duration lease) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = eventsQueue + ":relay:";
        this.owner = Objects.requireNonNull(owner, "owner");
        this.lease = Objects.requireNonNull(lease, "lease");
    }

    Duration lease() {
        return lease;
    }

    /** Takes question {@code id} for this instance, unless it is answered or another holds it. */
    Claim acquire(String id) {
        List<Object> reply = redis.eval(
                ACQUIRE,
                ScriptOutputType.MULTI,
                new String[] {key(id, "answered"), key(id, "claim"), key(id, "message")},
                owner,
                Long.toString(lease.toMillis()));
        String verdict = String.valueOf(reply.get(0));
        return switch (verdict) {
            case "answered" -> new Answered();
            case "acquired" -> new Acquired(String.valueOf(reply.get(1)));
            case "busy" -> new Busy();
            default -> throw new IllegalStateException("unexpected claim verdict " + verdict + " for question " + id);
        };
    }

    /** Extends this instance's lease on {@code id}; false when it lapsed (another instance may answer now). */
    boolean renew(String id) {
        Long renewed = redis.eval(
                RENEW,
                ScriptOutputType.INTEGER,
                new String[] {key(id, "claim")},
                owner,
                Long.toString(lease.toMillis()));
        return renewed != null && renewed == 1;
    }

    /**
     * Remembers {@code ts}, the answer's first message, unless one is remembered already or this instance
     * no longer holds the claim; false then.
     */
    boolean opened(String id, String ts) {
        Long kept = redis.eval(
                OPENED,
                ScriptOutputType.INTEGER,
                new String[] {key(id, "claim"), key(id, "message")},
                owner,
                ts,
                Long.toString(ANSWERED_FOR.toSeconds()));
        return kept != null && kept == 1;
    }

    /**
     * The question is answered (or given up): never again, and its lease is free. Does nothing while another
     * instance holds the claim (it took the question over and answers it).
     */
    void finish(String id) {
        redis.eval(
                FINISH,
                ScriptOutputType.INTEGER,
                new String[] {key(id, "answered"), key(id, "claim"), key(id, "message")},
                owner,
                Long.toString(ANSWERED_FOR.toSeconds()));
    }

    /**
     * {@link #finish} until it succeeds, at most {@code tries} times, pausing between tries as {@code
     * backoff} says; each failure is logged. Returns whether it succeeded.
     */
    boolean finishRetrying(String id, int tries, Backoff backoff) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                finish(id);
                return true;
            } catch (RuntimeException e) {
                if (attempt >= tries) {
                    log.warn("marking question {} answered failed, try {} of {}: {}", id, attempt, tries, e.toString());
                    return false;
                }
                Duration pause = backoff.delay(attempt, ThreadLocalRandom.current());
                log.warn(
                        "marking question {} answered failed, try {} of {}: {}; again in {} ms",
                        id,
                        attempt,
                        tries,
                        e.toString(),
                        pause.toMillis());
                Thread.sleep(pause);
            }
        }
    }

    /** Frees the lease without answering (this instance stops): the next delivery answers at once. */
    void release(String id) {
        redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key(id, "claim")}, owner);
    }

    /** Remembers that the bot answered in thread {@code threadTs}, for follow-ups without a mention. */
    void answeredIn(String team, String channel, String threadTs) {
        redis.set(prefix + "thread:" + team + ":" + channel + ":" + threadTs, "1", SetArgs.Builder.ex(THREADS_FOR));
    }

    /** Whether the bot answered in thread {@code threadTs} within the last week. */
    boolean answered(String team, String channel, String threadTs) {
        return redis.exists(prefix + "thread:" + team + ":" + channel + ":" + threadTs) == 1;
    }

    private String key(String id, String what) {
        return prefix + "{" + id + "}:" + what;
    }
}
