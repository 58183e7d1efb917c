/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import dev.relax.testkit.Channel;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;

/**
 * Plays Slack's side of the load: writes {@code message} frames to the workspaces' RTM sockets
 * ({@link Workspace#sendRaw}, the frame Slack sends for a post: https://api.slack.com/events/message),
 * round-robin over the workspaces, at a fixed rate or as fast as it can. For Socket Mode, people post
 * instead ({@link dev.relax.testkit.UserActions#post}) and the simulator sends the envelopes.
 *
 * <p>Each event's text is {@code b <seq> <intended send time in System.nanoTime()>}: the sink measures
 * latency from the time the event was due, not from when a late sender got to it, so a sender that falls
 * behind shows up in the latencies instead of hiding them (no coordinated omission). Each {@code ts} is
 * unique, as Slack's are, so the broker's dedupe never merges two events.
 */
final class EventSource {
    /** One workspace the source writes to. */
    record Team(Workspace workspace, User user, Channel channel) {}

    private final List<Team> teams;
    private final boolean socketMode;
    private long nextSeq;

    EventSource(List<Team> teams, boolean socketMode) {
        this.teams = List.copyOf(teams);
        this.socketMode = socketMode;
    }

    /** The sequence number the next event gets. */
    long nextSeq() {
        return nextSeq;
    }

    /**
     * Sends {@code count} events at {@code perSecond} (0: as fast as possible); returns the nanoseconds
     * the sending took.
     */
    long send(long count, double perSecond) {
        return send(count, perSecond, seq -> true);
    }

    /**
     * As {@link #send(long, double)}, but before each event waits until {@code mayGo} allows its sequence
     * number: a closed loop, such as at most so many events sent and not yet consumed.
     */
    long send(long count, double perSecond, LongPredicate mayGo) {
        long start = System.nanoTime();
        double interval = perSecond <= 0 ? 0 : 1e9 / perSecond;
        StringBuilder frame = new StringBuilder(256);
        for (long i = 0; i < count; i++) {
            while (!mayGo.test(nextSeq)) {
                LockSupport.parkNanos(20_000);
            }
            long due = interval == 0 ? System.nanoTime() : start + (long) (i * interval);
            if (interval > 0) {
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(Math.min(wait, 1_000_000));
                }
            }
            long seq = nextSeq++;
            Team team = teams.get((int) (seq % teams.size()));
            String text = "b " + seq + " " + due;
            if (socketMode) {
                team.workspace().as(team.user()).post(team.channel(), text);
            } else {
                frame.setLength(0);
                frame.append("{\"type\":\"message\",\"channel\":\"")
                        .append(team.channel().id())
                        .append("\",\"user\":\"")
                        .append(team.user().id())
                        .append("\",\"text\":\"")
                        .append(text)
                        .append("\",\"ts\":\"");
                appendTs(frame, seq);
                frame.append("\",\"team\":\"").append(team.workspace().id()).append("\"}");
                team.workspace().sendRaw(frame.toString());
            }
        }
        return System.nanoTime() - start;
    }

    /** A unique Slack-style ts for {@code seq}: {@code 1700000000.000000} plus seq microseconds. */
    private static void appendTs(StringBuilder out, long seq) {
        out.append(1_700_000_000L + seq / 1_000_000).append('.');
        String micros = Long.toString(seq % 1_000_000);
        out.append("000000", 0, 6 - micros.length()).append(micros);
    }
}
