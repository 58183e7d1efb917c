/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.testkit.ApiCall;
import dev.relax.testkit.ConnectionCount;
import dev.relax.testkit.EventDelivery;
import dev.relax.testkit.RecordedConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What clients did and what the simulator sent them: connections, Web API calls, Events API requests,
 * and the history of open connection counts. Appends come from Jetty and timer threads, reads from the
 * test thread.
 */
public final class Recorder {
    private final Clock clock;
    private final Queue<SocketConnection> connections = new ConcurrentLinkedQueue<>();
    private final Queue<ApiCall> apiCalls = new ConcurrentLinkedQueue<>();
    private final Queue<EventDelivery> deliveries = new ConcurrentLinkedQueue<>();
    /** Count history per team (RTM) or app (Socket Mode). Guarded by {@code this}; waiters use its monitor. */
    private final Map<String, List<ConnectionCount>> counts = new HashMap<>();

    public Recorder(Clock clock) {
        this.clock = clock;
    }

    public void opened(SocketConnection connection) {
        connections.add(connection);
        change(connection.owner(), +1);
    }

    public void closed(SocketConnection connection) {
        change(connection.owner(), -1);
    }

    private synchronized void change(String owner, int delta) {
        List<ConnectionCount> history = counts.computeIfAbsent(owner, o -> new ArrayList<>());
        int now = history.isEmpty() ? 0 : history.getLast().count();
        history.add(new ConnectionCount(clock.instant(), now + delta));
        notifyAll();
    }

    public synchronized int openConnections(String owner) {
        List<ConnectionCount> history = counts.get(owner);
        return history == null || history.isEmpty() ? 0 : history.getLast().count();
    }

    public synchronized List<ConnectionCount> history(String owner) {
        return List.copyOf(counts.getOrDefault(owner, List.of()));
    }

    /** Waits until {@code owner} has exactly {@code count} open connections; false on timeout. */
    public synchronized boolean awaitOpen(String owner, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openConnections(owner) != count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * Forgets Web API calls, Events API deliveries and closed connections; each count history shrinks to
     * its current count (kept only when sockets are open), so waits on open connections stay right.
     */
    public synchronized void reset() {
        apiCalls.clear();
        deliveries.clear();
        connections.removeIf(connection -> !connection.snapshot().isOpen());
        counts.replaceAll(
                (owner, history) -> history.isEmpty() || history.getLast().count() == 0
                        ? new ArrayList<>()
                        : new ArrayList<>(List.of(history.getLast())));
    }

    public List<RecordedConnection> connections() {
        return connections.stream().map(SocketConnection::snapshot).toList();
    }

    public void apiCall(ApiCall call) {
        apiCalls.add(call);
    }

    public List<ApiCall> apiCalls() {
        return List.copyOf(apiCalls);
    }

    public void delivery(EventDelivery delivery) {
        deliveries.add(delivery);
    }

    public List<EventDelivery> deliveries() {
        return List.copyOf(deliveries);
    }
}
