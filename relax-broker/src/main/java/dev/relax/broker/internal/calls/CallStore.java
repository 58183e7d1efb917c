/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.redis.RedisConnection;
import dev.relax.core.EncryptionKeys;
import dev.relax.core.RelaxConfig;
import dev.relax.core.RelaxException;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.CallKeys;
import dev.relax.core.protocol.CallOutcome;
import dev.relax.core.protocol.Installation;
import dev.relax.core.protocol.Protocol;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every Redis step of the calls stream, on the keys {@link CallKeys} names after the configured calls key.
 * None of them is written before an app has queued a call: a deployment of RTM bots only keeps the Go
 * broker's keys.
 *
 * <p>Uses two connections it does not own: {@code reader} only for the blocking {@code XREAD} of the
 * reader thread, {@code commands} (thread-safe, non-blocking commands only) for everything else.
 */
final class CallStore {
    private static final String GROUP = CallKeys.GROUP;
    static final Duration RESULT_TTL = Duration.ofDays(1);
    /**
     * How long an attempt key outlives the attempt it records: longer than any entry should stay pending,
     * since a taker that no longer finds it would make a call that may have happened again.
     */
    static final Duration ATTEMPT_TTL = Duration.ofDays(7);

    private final RedisClusterCommands<String, String> reader;
    private final RedisClusterCommands<String, String> commands;
    private final CallKeys keys;
    private final String installations;
    private final EncryptionKeys secrets;
    private final String consumer;
    private final ObjectMapper json;

    CallStore(
            RedisConnection reader, RedisConnection commands, RelaxConfig config, String consumer, ObjectMapper json) {
        this.reader = reader.sync();
        this.commands = commands.sync();
        this.keys = new CallKeys(config.callsKey());
        this.installations = config.installationsKey();
        this.secrets = config.encryptionKeys();
        this.consumer = consumer;
        this.json = json;
    }

    String consumer() {
        return consumer;
    }

    /**
     * Blocks up to {@code block} until the stream exists: returns at once when it does, else when an app
     * adds its first entry ({@code XREAD BLOCK} waits on a key that does not exist yet). On the reader
     * connection. Returns whether it exists.
     */
    boolean awaitStream(Duration block) {
        Long n = commands.exists(keys.stream());
        if (n != null && n > 0) {
            return true;
        }
        reader.xread(XReadArgs.Builder.block(block).count(1), XReadArgs.StreamOffset.from(keys.stream(), "0-0"));
        n = commands.exists(keys.stream());
        return n != null && n > 0;
    }

    /**
     * {@code XGROUP CREATE K relax-brokers 0} once the stream exists (an app's {@code XADD} created it):
     * from 0, so the calls queued before the group existed are made too. Another broker's group is fine.
     */
    void createGroup() {
        try {
            commands.xgroupCreate(XReadArgs.StreamOffset.from(keys.stream(), "0"), GROUP);
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** New entries for this broker, entered in their lanes, and the group's last delivered id. */
    record Batch(String lastDelivered, List<CallEntry> entries) {}

    Batch read(int count) {
        List<Object> r = streamScript(CallScripts.READ, Integer.toString(count));
        return new Batch((String) r.get(0), entries(r.get(1)));
    }

    /** Blocks up to {@code block} for an entry after {@code afterId}; on the reader connection. */
    void awaitNewer(String afterId, Duration block) {
        reader.xread(XReadArgs.Builder.block(block).count(1), XReadArgs.StreamOffset.from(keys.stream(), afterId));
    }

    /** One step of a takeover scan: the entries taken and the cursor of the next step ({@code 0-0}: done). */
    record Claimed(String next, List<CallEntry> entries) {}

    /** Takes over entries idle longer than {@code minIdle}, scanning the pending list from {@code cursor}. */
    Claimed claimIdle(Duration minIdle, int count, String cursor) {
        List<Object> r =
                streamScript(CallScripts.CLAIM, Long.toString(minIdle.toMillis()), Integer.toString(count), cursor);
        return new Claimed((String) r.get(0), entries(r.get(1)));
    }

    /** A script that takes entries: on the stream and the lanes, as this consumer of the group. */
    private List<Object> streamScript(String script, String... more) {
        List<String> args = new ArrayList<>(List.of(GROUP, consumer));
        args.addAll(List.of(more));
        return commands.eval(
                script,
                ScriptOutputType.MULTI,
                new String[] {keys.stream(), keys.lanes()},
                args.toArray(String[]::new));
    }

    /**
     * Resets the idle time of {@code streamIds} still owned here to {@code idle}; returns those lost. One
     * script per {@value #REFRESH_CHUNK} ids, so that no single script keeps Redis busy for long.
     */
    List<String> refresh(List<String> streamIds, Duration idle) {
        List<String> lost = new ArrayList<>();
        for (int from = 0; from < streamIds.size(); from += REFRESH_CHUNK) {
            List<String> args = new ArrayList<>(List.of(GROUP, consumer, Long.toString(idle.toMillis())));
            args.addAll(streamIds.subList(from, Math.min(streamIds.size(), from + REFRESH_CHUNK)));
            List<Object> r = commands.eval(
                    CallScripts.REFRESH,
                    ScriptOutputType.MULTI,
                    new String[] {keys.stream()},
                    args.toArray(String[]::new));
            r.forEach(id -> lost.add((String) id));
        }
        return lost;
    }

    private static final int REFRESH_CHUNK = 64;

    /**
     * {@link CallScripts#NOT_OURS}: the entry is no longer pending on this broker; -1: an earlier call of
     * the channel comes first; 0: go (and attempt number {@code attempt} is recorded as under way); else
     * milliseconds to wait.
     */
    long gate(CallEntry call, Duration interval, int attempt) {
        Long r = commands.eval(
                CallScripts.GATE,
                ScriptOutputType.INTEGER,
                new String[] {keys.lanes(), keys.stream(), paceKey(call), holdKey(call), keys.attempt(call.id())},
                call.laneKey() + "|",
                call.laneMember(),
                Long.toString(interval.toMillis()),
                GROUP,
                Integer.toString(attempt),
                Long.toString(ATTEMPT_TTL.toSeconds()),
                consumer,
                call.streamId());
        return r == null ? 0 : r;
    }

    /** Restarts the pace interval of {@code call}'s channel and method now, once Slack has answered. */
    void pace(CallEntry call, Duration interval) {
        commands.set(paceKey(call), "1", io.lettuce.core.SetArgs.Builder.px(interval.toMillis()));
    }

    /**
     * Pauses {@code call}'s method for its workspace on every broker, and forgets attempt {@code attempt}:
     * Slack answered 429, so it did not make the call. {@code earlierUnknown} is the latest earlier attempt
     * whose outcome is unknown (0: none), which the record goes back to.
     */
    void hold(CallEntry call, Duration retryAfter, int attempt, int earlierUnknown) {
        commands.eval(
                CallScripts.HOLD,
                ScriptOutputType.INTEGER,
                new String[] {holdKey(call), keys.attempt(call.id())},
                Long.toString(Math.max(1, retryAfter.toMillis())),
                Integer.toString(attempt),
                Integer.toString(earlierUnknown));
    }

    /**
     * Forgets attempt {@code attempt}, which is known not to have reached Slack, while the entry is pending
     * on this broker: its record goes back to {@code earlierUnknown} (0: deleted).
     */
    void unsent(CallEntry call, int attempt, int earlierUnknown) {
        commands.eval(
                CallScripts.UNSENT,
                ScriptOutputType.INTEGER,
                new String[] {keys.attempt(call.id()), keys.stream()},
                GROUP,
                consumer,
                call.streamId(),
                Integer.toString(attempt),
                Integer.toString(earlierUnknown));
    }

    /**
     * What earlier brokers left of a call: whether its result exists, and how many attempts were started
     * whose outcome nobody stored (0 when none).
     */
    record Prior(boolean resultExists, int attemptsUnknown) {}

    Prior prior(CallEntry call) {
        Long n = commands.exists(keys.result(call.id()));
        String attempts = commands.get(keys.attempt(call.id()));
        int unknown;
        try {
            unknown = attempts == null ? 0 : Math.max(1, Integer.parseInt(attempts));
        } catch (NumberFormatException e) {
            unknown = 1; // there was an attempt; how many is all that is unknown
        }
        return new Prior(n != null && n > 0, unknown);
    }

    /** The installation of {@code <app>:<team>}, empty when none is stored. */
    Optional<Installation> installation(String appId, String teamId) {
        String field = Installation.hashField(appId, teamId);
        String raw = commands.hget(installations, field);
        if (raw == null) {
            // A workspace of an organization the app is installed in org-wide (noted from its events).
            String enterprise = commands.hget(installations + Protocol.ORG_TEAMS_SUFFIX, field);
            field = enterprise == null ? field : Installation.hashField(appId, enterprise);
            raw = enterprise == null ? null : commands.hget(installations, field);
        }
        if (raw == null) {
            return Optional.empty();
        }
        Installation read = RelaxJson.decodeInstallation(raw, secrets);
        if (!read.hashField().equals(field)) { // a document copied under another field: not this workspace's token
            throw new RelaxException(
                    "installations hash field '" + field + "' holds the installation of " + read.hashField());
        }
        return Optional.of(read);
    }

    /**
     * Stores and publishes {@code outcome} (when given) unless the call already has a result, then
     * acknowledges, deletes and un-lanes the entry. Returns false when another result was stored first.
     */
    boolean finish(CallEntry call, Optional<CallOutcome> outcome) {
        Long stored = commands.eval(
                CallScripts.FINISH,
                ScriptOutputType.INTEGER,
                new String[] {keys.result(call.id()), keys.stream(), keys.lanes(), keys.attempt(call.id())},
                outcome.map(CallOutcome::toJson).orElse(""),
                Long.toString(RESULT_TTL.toSeconds()),
                keys.results(),
                GROUP,
                call.streamId(),
                outcome.isPresent() ? "1" : "0",
                call.laneMember());
        return stored == null || stored != 0;
    }

    /**
     * Drops up to {@code count} lane members after {@code after} whose entry is gone; returns where the
     * next step starts, {@code ""} when the walk through the lanes is done.
     */
    String scrubLanes(String after, int count) {
        String next = commands.eval(
                CallScripts.SCRUB,
                ScriptOutputType.VALUE,
                new String[] {keys.lanes(), keys.stream()},
                GROUP,
                after,
                Integer.toString(count));
        return next == null ? "" : next;
    }

    /** Deletes the consumers other than this one that have nothing pending and were idle {@code minIdle}. */
    List<String> deleteIdleConsumers(Duration minIdle) {
        return prune(minIdle, "except");
    }

    /** Deletes this broker's consumer if nothing is pending on it; true when it did. */
    boolean deleteOwnConsumerIfEmpty() {
        return !prune(Duration.ZERO, "only").isEmpty();
    }

    private List<String> prune(Duration minIdle, String which) {
        List<Object> r = commands.eval(
                CallScripts.PRUNE,
                ScriptOutputType.MULTI,
                new String[] {keys.stream()},
                GROUP,
                Long.toString(minIdle.toMillis()),
                which,
                consumer);
        List<String> out = new ArrayList<>();
        r.forEach(name -> out.add(String.valueOf(name)));
        return out;
    }

    private String paceKey(CallEntry call) {
        return keys.pace(call.teamId(), call.method(), call.channel());
    }

    private String holdKey(CallEntry call) {
        return keys.hold(call.teamId(), call.method());
    }

    /** Entries as scripts return them: {@code {{id, {field, value, ...}, lanes member}, ...}}. */
    private List<CallEntry> entries(Object raw) {
        List<CallEntry> out = new ArrayList<>();
        if (!(raw instanceof List<?> list)) {
            return out;
        }
        for (Object e : list) {
            if (e instanceof List<?> entry && entry.size() == 3 && entry.get(1) instanceof List<?> kv) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 0; i + 1 < kv.size(); i += 2) {
                    fields.put(String.valueOf(kv.get(i)), String.valueOf(kv.get(i + 1)));
                }
                out.add(CallEntry.parse((String) entry.get(0), (String) entry.get(2), fields, json));
            }
        }
        return out;
    }
}
