package dev.relax.broker.internal.calls;

/**
 * The Lua scripts of the calls stream. Each runs atomically in Redis, so brokers of a fleet agree without
 * locks of their own.
 *
 * <p>Order across the fleet: every entry a broker takes (read or claimed) is added, in the same script,
 * to the lanes sorted set {@code <calls>:lanes} as {@code <team>|<channel>|<padded stream id>} (score 0,
 * so members sort lexically, which is stream order). A call may go only when it is the first member of
 * its lane; it leaves the lane when it is finished. The consumer group hands entries out in stream order,
 * so an earlier entry of the channel is always in the lane before a later one is, whichever broker holds
 * each.
 */
final class CallScripts {
    private CallScripts() {}

    /**
     * Lua: the lanes member of entry {@code e} ({@code {id, {field, value, ...}}}). The channel is the
     * entry's {@code channel} field, else the {@code channel} string of its {@code params} JSON: the same
     * rule as {@link CallEntry#parse}, so that Java and Lua name the same member.
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
     * Takes up to {@code COUNT} new entries for this consumer and enters them in their lanes. KEYS[1]
     * stream, KEYS[2] lanes; ARGV[1] group, ARGV[2] consumer, ARGV[3] count. Returns {@code {last delivered
     * id of the group, entries}}: a blocking {@code XREAD} after that id wakes when there is more.
     */
    static final String READ = LANE_MEMBER
            + """
            local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
            local entries = {}
            if r then entries = r[1][2] end
            for _, e in ipairs(entries) do redis.call('ZADD', KEYS[2], 0, member(e)) end
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
     * Takes over entries idle longer than ARGV[3] ms (their broker died) and enters them in their lanes
     * again (idempotent). KEYS[1] stream, KEYS[2] lanes; ARGV[1] group, ARGV[2] consumer, ARGV[3] min idle
     * ms, ARGV[4] count. Returns the entries.
     *
     * <p>Entries deleted meanwhile: Redis 6.2 returns them as {@code {id, nil}} (or a bare nil, which Lua
     * sees as {@code false}) and keeps them pending, so they are acknowledged here when their id is known;
     * Redis 7 leaves them out, drops them from the pending list itself and lists their ids third
     * (https://redis.io/docs/latest/commands/xautoclaim/).
     */
    static final String CLAIM = LANE_MEMBER
            + """
            local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', ARGV[4])
            local out = {}
            for _, e in ipairs(r[2]) do
              if type(e) == 'table' and type(e[2]) == 'table' then
                redis.call('ZADD', KEYS[2], 0, member(e))
                table.insert(out, e)
              elseif type(e) == 'table' and type(e[1]) == 'string' then
                redis.call('XACK', KEYS[1], ARGV[1], e[1])
              end
            end
            return out
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
     * Whether a call may go now. KEYS[1] lanes, KEYS[2] stream, KEYS[3] pace key {@code
     * <calls>:pace:<team>:<method>:<channel>}, KEYS[4] hold key {@code <calls>:hold:<team>:<method>};
     * ARGV[1] lane prefix {@code <team>|<channel>|}, ARGV[2] the call's lane member, ARGV[3] interval ms.
     *
     * <p>Returns -1 when an earlier call of the channel is still to be made (lane members whose entry is
     * gone from the stream are dropped on the way), the hold key's PTTL while Slack rate-limits the method
     * for the workspace, 0 when the call may go (the pace key is then set for the interval), else the pace
     * key's PTTL: how long to wait before asking again.
     */
    static final String GATE =
            """
            while true do
              local first = redis.call('ZRANGEBYLEX', KEYS[1], '[' .. ARGV[1], '[' .. ARGV[1] .. '~', 'LIMIT', 0, 1)[1]
              if not first or first == ARGV[2] then break end
              local ms, seq = string.match(string.sub(first, #ARGV[1] + 1), '^(%d+)-(%d+)$')
              local id = (string.gsub(ms, '^0+(%d)', '%1')) .. '-' .. (string.gsub(seq, '^0+(%d)', '%1'))
              if #redis.call('XRANGE', KEYS[2], id, id) > 0 then return -1 end
              redis.call('ZREM', KEYS[1], first)
            end
            local hold = redis.call('PTTL', KEYS[4])
            if hold > 0 then return hold end
            if redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[3]) then return 0 end
            local wait = redis.call('PTTL', KEYS[3])
            if wait > 0 then return wait end
            return 1
            """;

    /**
     * Ends a call: stores and publishes its result (unless ARGV[6] is 0: a call found already done), then
     * acknowledges and deletes the entry and takes it out of its lane. KEYS[1] result key, KEYS[2] stream,
     * KEYS[3] lanes; ARGV[1] result JSON, ARGV[2] result TTL seconds, ARGV[3] results channel, ARGV[4]
     * group, ARGV[5] stream id, ARGV[6] 1 to store and publish, ARGV[7] lane member.
     */
    static final String FINISH =
            """
            if ARGV[6] == '1' then
              redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
              redis.call('PUBLISH', ARGV[3], ARGV[1])
            end
            redis.call('XACK', KEYS[2], ARGV[4], ARGV[5])
            redis.call('XDEL', KEYS[2], ARGV[5])
            redis.call('ZREM', KEYS[3], ARGV[7])
            return 1
            """;
}
