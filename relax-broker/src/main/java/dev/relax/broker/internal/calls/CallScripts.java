/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

/**
 * The Lua scripts of the calls stream. Each runs atomically in Redis, so brokers of a fleet agree without
 * locks of their own.
 *
 * <p>Order across the fleet: every entry a broker takes (read or claimed) is added, in the same script,
 * to the lanes sorted set {@code <calls>:lanes} as {@code <team>|<channel>|<padded stream id>} (score 0,
 * so members sort lexically, which is stream order). A call may go only when it is the first member of
 * its lane that is <em>live</em>: still in the stream and pending in the group. It leaves the lane when it
 * is finished; a member whose entry is not live any more (deleted or acknowledged by someone else) is
 * dropped by the first script that meets it ({@link #GATE}, {@link #SCRUB}). The consumer group hands
 * entries out in stream order, so an earlier entry of the channel is always in the lane before a later
 * one is, whichever broker holds each.
 */
final class CallScripts {
    private CallScripts() {}

    /**
     * Lua: the lane rule, {@code member(e)}: the lanes member of entry {@code e} ({@code {id, {field, value,
     * ...}}}), {@code <team>|<channel>|<ms>-<seq>} with both numbers zero-padded, so that lexical order is
     * stream order. The channel is the entry's {@code channel} field, else the {@code channel} string of its
     * {@code params} JSON. The only place that names a lane: {@link #READ} and {@link #CLAIM} hand each
     * entry's member to the broker ({@link CallEntry#laneMember()}), which takes its channel from it.
     */
    private static final String LANE_MEMBER =
            """
            local function pad(s, n) return string.rep('0', n - #s) .. s end
            local function member(e)
              local f = e[2]
              local team, channel, params = '', '', nil
              for i = 1, #f, 2 do
                if f[i] == 'team_id' then team = f[i + 1]
                elseif f[i] == 'channel' then channel = f[i + 1]
                elseif f[i] == 'params' then params = f[i + 1] end
              end
              if channel == '' and params then
                local ok, p = pcall(cjson.decode, params)
                if ok and type(p) == 'table' and type(p.channel) == 'string' then channel = p.channel end
              end
              local ms, seq = string.match(e[1], '^(%d+)-(%d+)$')
              return team .. '|' .. channel .. '|' .. pad(ms, 15) .. '-' .. pad(seq, 20)
            end
            """;

    /**
     * Lua: {@code entry(member)}, the stream id of a lanes member (nil when it is not one of ours), and
     * {@code live(stream, group, id)}: whether the entry is in the stream and pending in the group, that
     * is whether some broker holds it or will take it over. Only a live entry may hold up its lane.
     */
    private static final String LIVE =
            """
            local function entry(m)
              local ms, seq = string.match(m, '|(%d+)%-(%d+)$')
              if not ms then return nil end
              return (string.gsub(ms, '^0+(%d)', '%1')) .. '-' .. (string.gsub(seq, '^0+(%d)', '%1'))
            end
            local function live(stream, group, id)
              if #redis.call('XRANGE', stream, id, id) == 0 then return false end
              return #redis.call('XPENDING', stream, group, id, id, 1) > 0
            end
            """;

    /**
     * Takes up to {@code COUNT} new entries for this consumer and enters them in their lanes. KEYS[1]
     * stream, KEYS[2] lanes; ARGV[1] group, ARGV[2] consumer, ARGV[3] count. Returns {@code {last delivered
     * id of the group, entries}}, each entry {@code {id, {field, value, ...}, lanes member}}: a blocking
     * {@code XREAD} after that id wakes when there is more.
     */
    static final String READ = LANE_MEMBER
            + """
            local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
            local entries = {}
            if r then entries = r[1][2] end
            for _, e in ipairs(entries) do
              e[3] = member(e)
              redis.call('ZADD', KEYS[2], 0, e[3])
            end
            local last = '0-0'
            for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
              local name, id
              for i = 1, #g, 2 do
                if g[i] == 'name' then name = g[i + 1] elseif g[i] == 'last-delivered-id' then id = g[i + 1] end
              end
              if name == ARGV[1] then last = id end
            end
            return {last, entries}
            """;

    /**
     * Takes over entries idle longer than ARGV[3] ms (their broker died, or never learnt it had them: a
     * lost reply of {@link #READ}), from any consumer including this one, and enters them in their lanes
     * again (idempotent). One step of a scan of the pending list: KEYS[1] stream, KEYS[2] lanes; ARGV[1]
     * group, ARGV[2] consumer, ARGV[3] min idle ms, ARGV[4] count, ARGV[5] cursor ({@code 0-0} to start).
     * Returns {@code {next cursor (0-0 when the scan is done), entries}}, each as {@link #READ} returns it.
     *
     * <p>{@code JUSTID}, then each entry read: Redis 6.2 answers a bare nil for an entry deleted meanwhile
     * and keeps it pending, Redis 7 drops it (https://redis.io/docs/latest/commands/xautoclaim/); here a
     * claimed id that is not in the stream is acknowledged, the same on both.
     */
    static final String CLAIM = LANE_MEMBER
            + """
            local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[5], 'COUNT', ARGV[4], 'JUSTID')
            local out = {}
            for _, id in ipairs(r[2]) do
              local e = redis.call('XRANGE', KEYS[1], id, id)[1]
              if e then
                e[3] = member(e)
                redis.call('ZADD', KEYS[2], 0, e[3])
                table.insert(out, e)
              else
                redis.call('XACK', KEYS[1], ARGV[1], id)
              end
            end
            return {r[1], out}
            """;

    /**
     * Resets the idle time of the entries this consumer still owns (to ARGV[3] ms: 0 keeps them, the claim
     * idle hands them to the next sweep of another broker). An entry another broker took meanwhile is left
     * alone. KEYS[1] stream; ARGV[1] group, ARGV[2] consumer, ARGV[3] idle ms, ARGV[4..] stream ids.
     * Returns the ids this consumer no longer owns.
     */
    static final String REFRESH =
            """
            local lost = {}
            for i = 4, #ARGV do
              local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
              if p[1] and p[1][2] == ARGV[2] then
                redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'IDLE', ARGV[3], 'JUSTID')
              else
                table.insert(lost, ARGV[i])
              end
            end
            return lost
            """;

    /**
     * Lua: {@code forget(key, n, prev)}: attempt number {@code n} of a call is known not to have reached
     * Slack, so its record goes back to {@code prev}, the latest earlier attempt whose outcome is unknown
     * ({@code '0'}: none, the record is deleted). Only when the record still says {@code n}: a later attempt
     * is not undone.
     */
    private static final String FORGET_ATTEMPT =
            """
            local function forget(key, n, prev)
              if redis.call('GET', key) ~= n then return 0 end
              if prev == '0' then redis.call('DEL', key) else redis.call('SET', key, prev, 'KEEPTTL') end
              return 1
            end
            """;

    /**
     * Lua: {@code ours(stream, group, id, consumer)}: whether entry {@code id} is pending on {@code consumer}.
     * Only then may that broker let the call go, or speak for its attempts: once another broker took the
     * entry over (or finished it), whatever this one asks is refused, however late its request reaches Redis.
     */
    private static final String OURS =
            """
            local function ours(stream, group, id, consumer)
              local p = redis.call('XPENDING', stream, group, id, id, 1)[1]
              return p ~= nil and p[2] == consumer
            end
            """;

    /** {@link #GATE}'s answer when the entry is no longer pending on the asking broker. */
    static final long NOT_OURS = -2;

    /**
     * Whether a call may go now. KEYS[1] lanes, KEYS[2] stream, KEYS[3] pace key {@code
     * <calls>:pace:<team>:<method>:<channel>}, KEYS[4] hold key {@code <calls>:hold:<team>:<method>}, KEYS[5]
     * attempt key {@code <calls>:attempt:<id>}; ARGV[1] lane prefix {@code <team>|<channel>|}, ARGV[2] the
     * call's lane member, ARGV[3] interval ms, ARGV[4] group, ARGV[5] the attempt's number, ARGV[6] the
     * attempt key's TTL seconds, ARGV[7] this broker's consumer, ARGV[8] the entry's stream id.
     *
     * <p>Returns {@link #NOT_OURS} when the entry is not pending on this consumer (another broker took it
     * over, or finished it: a broker that lost Redis for longer than the claim idle time asks too late),
     * -1 when an earlier live call of the channel is still to be made (members whose entry is not live are
     * dropped on the way), the hold key's PTTL while Slack rate-limits the method for the workspace, 0 when
     * the call may go, else the pace key's PTTL: how long to wait before asking again. With 0 the pace key
     * is set for the interval and the attempt key records, before the call leaves, that an attempt is
     * under way: whoever takes the entry over then knows the call may have reached Slack.
     */
    static final String GATE = LIVE
            + OURS
            + """
            if not ours(KEYS[2], ARGV[4], ARGV[8], ARGV[7]) then return -2 end
            while true do
              local first = redis.call('ZRANGEBYLEX', KEYS[1], '[' .. ARGV[1], '[' .. ARGV[1] .. '~', 'LIMIT', 0, 1)[1]
              if not first or first == ARGV[2] then break end
              local id = entry(first)
              if id and live(KEYS[2], ARGV[4], id) then return -1 end
              redis.call('ZREM', KEYS[1], first)
            end
            local hold = redis.call('PTTL', KEYS[4])
            if hold > 0 then return hold end
            if redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[3]) then
              redis.call('SET', KEYS[5], ARGV[5], 'EX', ARGV[6])
              return 0
            end
            local wait = redis.call('PTTL', KEYS[3])
            if wait > 0 then return wait end
            return 1
            """;

    /**
     * Slack answered HTTP 429, so the attempt did not happen: pauses the method for the workspace on every
     * broker and forgets the attempt. KEYS[1] hold key, KEYS[2] attempt key; ARGV[1] milliseconds, ARGV[2]
     * the attempt's number, ARGV[3] the latest earlier attempt of unknown outcome ({@code 0}: none).
     */
    static final String HOLD = FORGET_ATTEMPT
            + """
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
            forget(KEYS[2], ARGV[2], ARGV[3])
            return 1
            """;

    /**
     * An attempt is known not to have reached Slack (no connection was made; Slack said it did nothing; or
     * the gate's answer was lost, and the broker gives up the call before it left): forgets it, while the
     * entry is still pending on this broker. KEYS[1] attempt key, KEYS[2] stream; ARGV[1] group, ARGV[2]
     * consumer, ARGV[3] stream id, ARGV[4] the attempt's number, ARGV[5] the latest earlier attempt of
     * unknown outcome ({@code 0}: none). Returns 1 when the record was changed.
     */
    static final String UNSENT = FORGET_ATTEMPT
            + OURS
            + """
            if not ours(KEYS[2], ARGV[1], ARGV[3], ARGV[2]) then return 0 end
            return forget(KEYS[1], ARGV[4], ARGV[5])
            """;

    /**
     * Ends a call: stores and publishes its result (unless ARGV[6] is 0: a call found already done), then
     * acknowledges and deletes the entry, takes it out of its lane and forgets its attempt. KEYS[1] result
     * key, KEYS[2] stream, KEYS[3] lanes, KEYS[4] attempt key; ARGV[1] result JSON, ARGV[2] result TTL
     * seconds, ARGV[3] results channel, ARGV[4] group, ARGV[5] stream id, ARGV[6] 1 to store and publish,
     * ARGV[7] lane member.
     *
     * <p>The first result stored for an id is its result: {@code SET NX}, and {@code PUBLISH} only when
     * that set, so the key and the one message published always agree. A second broker finishing the same
     * call (it took the entry over while the first could not reach Redis for longer than the claim idle
     * time) changes nothing. Returns 1 when the result was stored (or none was to be), 0 when another one
     * was there first.
     */
    static final String FINISH =
            """
            local stored = 1
            if ARGV[6] == '1' then
              if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
                redis.call('PUBLISH', ARGV[3], ARGV[1])
              else
                stored = 0
              end
            end
            redis.call('XACK', KEYS[2], ARGV[4], ARGV[5])
            redis.call('XDEL', KEYS[2], ARGV[5])
            redis.call('ZREM', KEYS[3], ARGV[7])
            redis.call('DEL', KEYS[4])
            return stored
            """;

    /**
     * One step of a walk through the lanes: drops up to ARGV[3] members after ARGV[2] whose entry is not
     * live (deleted or trimmed from the stream, or acknowledged, by someone else), so that none stays for
     * good when no later call of its channel comes to meet it in {@link #GATE}. KEYS[1] lanes, KEYS[2]
     * stream; ARGV[1] group, ARGV[2] the last member of the previous step ({@code ""} to start). Returns the
     * last member looked at, {@code ""} when the walk is done.
     */
    static final String SCRUB = LIVE
            + """
            local from = '-'
            if ARGV[2] ~= '' then from = '(' .. ARGV[2] end
            local members = redis.call('ZRANGEBYLEX', KEYS[1], from, '+', 'LIMIT', 0, tonumber(ARGV[3]))
            for _, m in ipairs(members) do
              local id = entry(m)
              if not id or not live(KEYS[2], ARGV[1], id) then redis.call('ZREM', KEYS[1], m) end
            end
            if #members < tonumber(ARGV[3]) then return '' end
            return members[#members]
            """;

    /**
     * Deletes consumers of the group that have no pending entry and were idle at least ARGV[2] ms: those
     * of brokers that are gone. A consumer with pending entries is never deleted ({@code XGROUP DELCONSUMER}
     * would drop them from the pending list, and nobody would make those calls); its entries are taken over
     * first. A live broker's consumer that is deleted anyway comes back with its next read. KEYS[1] stream;
     * ARGV[1] group, ARGV[2] min idle ms, ARGV[3] {@code only} or {@code except}, ARGV[4] a consumer. Returns
     * the names deleted.
     */
    static final String PRUNE =
            """
            if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
            local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
            if not ok then return {} end
            local deleted = {}
            for _, c in ipairs(consumers) do
              local name, pending, idle
              for i = 1, #c, 2 do
                if c[i] == 'name' then name = c[i + 1]
                elseif c[i] == 'pending' then pending = c[i + 1]
                elseif c[i] == 'idle' then idle = c[i + 1] end
              end
              local chosen = (ARGV[3] == 'only') == (name == ARGV[4])
              if chosen and pending == 0 and idle >= tonumber(ARGV[2]) then
                redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
                table.insert(deleted, name)
              end
            end
            return deleted
            """;
}
