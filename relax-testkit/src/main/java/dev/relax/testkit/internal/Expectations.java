/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.testkit.ApiCall;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.StreamedMessage;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The simulator's blocking expectations, in the manner of MockWebServer's {@code takeRequest}: each await
 * returns the oldest matching item that no earlier await returned, waiting up to a deadline for one.
 * Guarded by {@code this}.
 */
public final class Expectations {
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private final SimulatorCore core;
    /** {@code team/channel/ts} of messages and streams already returned (or present at the last reset). */
    private final Set<String> taken = new HashSet<>();
    /** Per Web API method, how many of its recorded calls were returned. */
    private final Map<String, Integer> callsTaken = new HashMap<>();

    public Expectations(SimulatorCore core) {
        this.core = core;
    }

    /** The next message {@code userId} posts in {@code channel} ({@code threadTs} null: anywhere in it). */
    public ChannelMessage message(String teamId, String userId, String channel, String threadTs, Duration timeout) {
        String awaited =
                "a message from " + userId + " in " + channel + (threadTs == null ? "" : " (thread " + threadTs + ")");
        Optional<ChannelMessage> found = await(timeout, () -> nextMessage(teamId, userId, channel, threadTs));
        return found.orElseThrow(() -> timedOut(awaited, timeout, messagesIn(teamId, channel)));
    }

    /** The next stream {@code userId} stopped in {@code channel} ({@code threadTs} null: anywhere in it). */
    public StreamedMessage streamFinished(
            String teamId, String userId, String channel, String threadTs, Duration timeout) {
        String awaited = "a finished stream from " + userId + " in " + channel
                + (threadTs == null ? "" : " (thread " + threadTs + ")");
        Optional<StreamedMessage> found = await(timeout, () -> nextStream(teamId, userId, channel, threadTs));
        return found.orElseThrow(() -> timedOut(awaited, timeout, streamsIn(teamId, channel)));
    }

    /** The next call of a Web API method. */
    public ApiCall call(String method, Duration timeout) {
        Optional<ApiCall> found = await(timeout, () -> nextCall(method));
        return found.orElseThrow(
                () -> timedOut("a call of " + method, timeout, core.recorder().apiCalls()));
    }

    /** Forgets what was returned; everything present now counts as returned. */
    public synchronized void reset() {
        callsTaken.clear();
        for (TeamState team : core.teams()) {
            team.messages().forEach(m -> taken.add(key(team.id(), m.channel(), m.ts())));
            team.streams().stream()
                    .filter(StreamState::stopped)
                    .map(StreamState::snapshot)
                    .forEach(s -> taken.add(key(team.id(), s.channel(), s.ts())));
        }
    }

    private synchronized Optional<ChannelMessage> nextMessage(
            String teamId, String userId, String channel, String threadTs) {
        TeamState team = core.team(teamId);
        if (team == null) {
            return Optional.empty();
        }
        Optional<MessageInfo> next = team.messages(channel).stream()
                .filter(m -> m.user().equals(userId))
                .filter(m -> threadTs == null || threadTs.equals(m.threadTs()))
                .filter(m -> !taken.contains(key(teamId, channel, m.ts())))
                .findFirst();
        next.ifPresent(m -> taken.add(key(teamId, channel, m.ts())));
        return next.map(Expectations::message);
    }

    private synchronized Optional<StreamedMessage> nextStream(
            String teamId, String userId, String channel, String threadTs) {
        TeamState team = core.team(teamId);
        if (team == null) {
            return Optional.empty();
        }
        Optional<StreamedMessage> next = team.streams().stream()
                .filter(s -> s.userId().equals(userId) && s.stopped())
                .map(StreamState::snapshot)
                .filter(s -> s.channel().equals(channel))
                .filter(s -> threadTs == null || threadTs.equals(s.threadTs()))
                .filter(s -> !taken.contains(key(teamId, channel, s.ts())))
                .min(Comparator.comparing(StreamedMessage::ts));
        next.ifPresent(s -> taken.add(key(teamId, channel, s.ts())));
        return next;
    }

    private synchronized Optional<ApiCall> nextCall(String method) {
        List<ApiCall> calls = core.recorder().apiCalls().stream()
                .filter(call -> call.method().equals(method))
                .toList();
        int index = callsTaken.getOrDefault(method, 0);
        if (calls.size() <= index) {
            return Optional.empty();
        }
        callsTaken.put(method, index + 1);
        return Optional.of(calls.get(index));
    }

    private List<ChannelMessage> messagesIn(String teamId, String channel) {
        TeamState team = core.team(teamId);
        return team == null
                ? List.of()
                : team.messages(channel).stream().map(Expectations::message).toList();
    }

    private List<StreamedMessage> streamsIn(String teamId, String channel) {
        TeamState team = core.team(teamId);
        return team == null
                ? List.of()
                : team.streams().stream()
                        .map(StreamState::snapshot)
                        .filter(s -> s.channel().equals(channel))
                        .sorted(Comparator.comparing(StreamedMessage::ts))
                        .toList();
    }

    private static ChannelMessage message(MessageInfo m) {
        return new ChannelMessage(m.channel(), m.ts(), m.user(), m.text(), m.threadTs());
    }

    private static String key(String teamId, String channel, String ts) {
        return teamId + "/" + channel + "/" + ts;
    }

    private static <T> Optional<T> await(Duration timeout, Supplier<Optional<T>> next) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> found = next.get();
            if (found.isPresent() || System.nanoTime() - deadline >= 0) {
                return found;
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted while waiting");
            }
        }
    }

    private static AssertionError timedOut(String awaited, Duration timeout, List<?> seen) {
        StringBuilder text = new StringBuilder("expected ")
                .append(awaited)
                .append(" within ")
                .append(timeout)
                .append(", but none arrived that an earlier await had not returned; saw ")
                .append(seen.size())
                .append(':');
        seen.forEach(item -> text.append("\n  ").append(item));
        return new AssertionError(text.toString());
    }
}
