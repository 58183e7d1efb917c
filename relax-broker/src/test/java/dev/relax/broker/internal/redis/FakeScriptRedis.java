/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisNoScriptException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis as far as the {@link EventWriter} sees it: its two scripts run in memory with the same
 * check-push-mark steps ({@link EventScripts#BOUNDED}, {@link EventScripts#HASH}), every
 * EVALSHA recorded, and faults on demand. Called by the writer thread, read by the test: synchronized.
 */
final class FakeScriptRedis implements ScriptCommands {
    /** One EVALSHA as sent: its keys and arguments. */
    record Call(List<String> keys, List<String> args) {}

    private final Map<String, String> scripts = new HashMap<>();
    private final List<String> queue = new ArrayList<>();
    /** Bounded keys (to their TTL) or hash fields (to "ok") that mark an event as pushed. */
    private final Map<String, String> marks = new HashMap<>();

    private final List<Call> calls = new ArrayList<>();
    private int scriptLoads;
    private int failures;
    private int lostAnswers;
    private boolean down;

    /** The next {@code n} EVALSHAs fail before Redis runs them. */
    synchronized void failNext(int n) {
        failures = n;
    }

    /** The next {@code n} EVALSHAs run, and then their answer is lost (a timeout, a dropped connection). */
    synchronized void loseNextAnswers(int n) {
        lostAnswers = n;
    }

    /** Every EVALSHA fails while down. */
    synchronized void down(boolean down) {
        this.down = down;
    }

    /** Redis restarted: it keeps its data (persistence) and forgets its scripts. */
    synchronized void forgetScripts() {
        scripts.clear();
    }

    synchronized List<String> queue() {
        return List.copyOf(queue);
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized Map<String, String> marks() {
        return Map.copyOf(marks);
    }

    synchronized int scriptLoads() {
        return scriptLoads;
    }

    @Override
    public synchronized String scriptLoad(String script) {
        scriptLoads++;
        String sha = "sha-" + script.hashCode();
        scripts.put(sha, script);
        return sha;
    }

    @Override
    public synchronized long evalsha(String sha, String[] keys, String[] args) {
        calls.add(new Call(List.of(keys), List.of(args)));
        if (down || failures > 0) {
            failures = Math.max(0, failures - 1);
            throw new RedisConnectionException("Unable to connect to localhost:6379");
        }
        String script = scripts.get(sha);
        if (script == null) {
            throw new RedisNoScriptException("NOSCRIPT No matching script. Please use EVAL.");
        }
        long pushed = script.equals(EventScripts.HASH) ? runHash(keys, args) : runBounded(keys, args);
        if (lostAnswers > 0) {
            lostAnswers--;
            throw new RedisConnectionException("Connection closed before the answer");
        }
        return pushed;
    }

    private long runBounded(String[] keys, String[] args) {
        long pushed = 0;
        for (int i = 1; i < keys.length; i++) {
            if (!marks.containsKey(keys[i])) {
                queue.add(args[i]);
                marks.put(keys[i], args[0]);
                pushed++;
            }
        }
        return pushed;
    }

    private long runHash(String[] keys, String[] args) {
        long pushed = 0;
        for (int i = 0; i < args.length; i += 2) {
            String field = keys[1] + " " + args[i];
            if (!marks.containsKey(field)) {
                queue.add(args[i + 1]);
                marks.put(field, "ok");
                pushed++;
            }
        }
        return pushed;
    }
}
