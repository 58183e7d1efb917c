package dev.relax.broker.internal.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.RelaxConfig;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.Installation;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every Redis step of the calls stream, named after the configured calls key {@code K}: the stream
 * {@code K}, the consumer group {@value #GROUP}, lanes {@code K:lanes}, pace keys {@code
 * K:pace:<team>:<method>:<channel>}, hold keys {@code K:hold:<team>:<method>}, results {@code K:result:<id>}
 * and the results channel {@code K:results}.
 *
 * <p>Uses two connections it does not own: {@code reader} only for the blocking {@code XREAD} of the
 * reader thread, {@code commands} (thread-safe, non-blocking commands only) for everything else.
 */
final class CallStore {
    static final String GROUP = "relax-brokers";
    static final Duration RESULT_TTL = Duration.ofDays(1);

    private final RedisCommands<String, String> reader;
    private final RedisCommands<String, String> commands;
    private final RelaxConfig config;
    private final String stream;
    private final String lanes;
    private final String consumer;
    private final ObjectMapper json;

    CallStore(
            StatefulRedisConnection<String, String> reader,
            StatefulRedisConnection<String, String> commands,
            RelaxConfig config,
            String consumer,
            ObjectMapper json) {
        this.reader = reader.sync();
        this.commands = commands.sync();
        this.config = config;
        this.stream = config.callsKey();
        this.lanes = stream + ":lanes";
        this.consumer = consumer;
        this.json = json;
    }

    String consumer() {
        return consumer;
    }

    /** {@code XGROUP CREATE K relax-brokers 0 MKSTREAM}: from 0, so calls added before any broker ran are made. */
    void createGroup() {
        try {
            commands.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** New entries for this broker, entered in their lanes, and the group's last delivered id. */
    record Batch(String lastDelivered, List<CallEntry> entries) {}

    Batch read(int count) {
        List<Object> r = commands.eval(
                CallScripts.READ,
                ScriptOutputType.MULTI,
                new String[] {stream, lanes},
                GROUP,
                consumer,
                Integer.toString(count));
        return new Batch((String) r.get(0), entries(r.get(1)));
    }

    /** Blocks up to {@code block} for an entry after {@code afterId}; on the reader connection. */
    void awaitNewer(String afterId, Duration block) {
        reader.xread(XReadArgs.Builder.block(block).count(1), XReadArgs.StreamOffset.from(stream, afterId));
    }

    /** Takes over entries idle longer than {@code minIdle}. */
    List<CallEntry> claimIdle(Duration minIdle, int count) {
        List<Object> r = commands.eval(
                CallScripts.CLAIM,
                ScriptOutputType.MULTI,
                new String[] {stream, lanes},
                GROUP,
                consumer,
                Long.toString(minIdle.toMillis()),
                Integer.toString(count));
        return entries(r);
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
                    CallScripts.REFRESH, ScriptOutputType.MULTI, new String[] {stream}, args.toArray(String[]::new));
            r.forEach(id -> lost.add((String) id));
        }
        return lost;
    }

    private static final int REFRESH_CHUNK = 64;

    /** -1: an earlier call of the channel comes first; 0: go; else milliseconds to wait. */
    long gate(CallEntry call, Duration interval) {
        Long r = commands.eval(
                CallScripts.GATE,
                ScriptOutputType.INTEGER,
                new String[] {lanes, stream, paceKey(call), holdKey(call)},
                call.laneKey() + "|",
                call.laneMember(),
                Long.toString(interval.toMillis()));
        return r == null ? 0 : r;
    }

    /** Restarts the pace interval of {@code call}'s channel and method now, once Slack has answered. */
    void pace(CallEntry call, Duration interval) {
        commands.set(paceKey(call), "1", io.lettuce.core.SetArgs.Builder.px(interval.toMillis()));
    }

    /** Pauses {@code call}'s method for its workspace on every broker: Slack answered 429. */
    void hold(CallEntry call, Duration retryAfter) {
        commands.set(holdKey(call), "1", io.lettuce.core.SetArgs.Builder.px(Math.max(1, retryAfter.toMillis())));
    }

    boolean resultExists(String id) {
        Long n = commands.exists(resultKey(id));
        return n != null && n > 0;
    }

    /** The installation of {@code <app>:<team>}, empty when none is stored. */
    Optional<Installation> installation(String appId, String teamId) {
        String raw = commands.hget(config.installationsKey(), Installation.hashField(appId, teamId));
        return raw == null ? Optional.empty() : Optional.of(RelaxJson.decodeInstallation(raw));
    }

    /** Stores and publishes {@code outcome} (when given), then acknowledges, deletes and un-lanes the entry. */
    void finish(CallEntry call, Optional<CallOutcome> outcome) {
        commands.eval(
                CallScripts.FINISH,
                ScriptOutputType.INTEGER,
                new String[] {resultKey(call.id()), stream, lanes},
                outcome.map(o -> o.toJson(json)).orElse(""),
                Long.toString(RESULT_TTL.toSeconds()),
                stream + ":results",
                GROUP,
                call.streamId(),
                outcome.isPresent() ? "1" : "0",
                call.laneMember());
    }

    String paceKey(CallEntry call) {
        return stream + ":pace:" + call.teamId() + ":" + call.method() + ":" + call.channel();
    }

    String holdKey(CallEntry call) {
        return stream + ":hold:" + call.teamId() + ":" + call.method();
    }

    String resultKey(String id) {
        return stream + ":result:" + id;
    }

    /** Entries as scripts return them: {@code {{id, {field, value, ...}}, ...}}. */
    private List<CallEntry> entries(Object raw) {
        List<CallEntry> out = new ArrayList<>();
        if (!(raw instanceof List<?> list)) {
            return out;
        }
        for (Object e : list) {
            if (e instanceof List<?> entry && entry.size() == 2 && entry.get(1) instanceof List<?> kv) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 0; i + 1 < kv.size(); i += 2) {
                    fields.put(String.valueOf(kv.get(i)), String.valueOf(kv.get(i + 1)));
                }
                out.add(CallEntry.parse((String) entry.get(0), fields, json));
            }
        }
        return out;
    }
}
