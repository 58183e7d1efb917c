/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.testkit.internal.AppState;
import dev.relax.testkit.internal.SimulatorCore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the simulator saw and sent, for assertions; every method returns a fresh immutable
 * snapshot, so it is safe to poll from Awaitility:
 *
 * <pre>{@code
 * await().atMost(Duration.ofSeconds(5)).until(() -> slack.recordings().openConnections("T1"), is(1));
 * assertThat(slack.recordings().apiCalls("rtm.connect")).hasSize(2);
 * }</pre>
 */
public final class Recordings {
    private final SimulatorCore core;

    Recordings(SimulatorCore core) {
        this.core = core;
    }

    /** Every websocket connection ever opened, in order of opening. */
    public List<RecordedConnection> connections() {
        return core.recorder().connections();
    }

    /** The connections of a workspace (RTM) or an app (Socket Mode). */
    public List<RecordedConnection> connections(String teamOrAppId) {
        return connections().stream()
                .filter(c -> c.teamId().equals(teamOrAppId) || c.appId().equals(teamOrAppId))
                .toList();
    }

    /** Every Web API call, in order of arrival. */
    public List<ApiCall> apiCalls() {
        return core.recorder().apiCalls();
    }

    /** The calls of one method, e.g. {@code rtm.connect}. */
    public List<ApiCall> apiCalls(String method) {
        return apiCalls().stream().filter(call -> call.method().equals(method)).toList();
    }

    /** Open RTM sockets of a workspace, or open Socket Mode sockets of an app. */
    public int openConnections(String teamOrAppId) {
        return core.recorder().openConnections(teamOrAppId);
    }

    /** Every change of {@link #openConnections(String)}, oldest first. */
    public List<ConnectionCount> connectionHistory(String teamOrAppId) {
        return core.recorder().history(teamOrAppId);
    }

    /**
     * The most sockets of a workspace (RTM) or an app (Socket Mode) that were ever open at once, 0 if none
     * was: exact, from {@link #connectionHistory(String)}, not sampled. For limits such as Slack's 10
     * Socket Mode connections per app, or one RTM socket per bot.
     */
    public int maxOpenConnections(String teamOrAppId) {
        return connectionHistory(teamOrAppId).stream()
                .mapToInt(ConnectionCount::count)
                .max()
                .orElse(0);
    }

    /** Every Events API request sent to an app's request URL, including retries and url_verification. */
    public List<EventDelivery> eventDeliveries(String appId) {
        return core.recorder().deliveries().stream()
                .filter(delivery -> delivery.appId().equals(appId))
                .toList();
    }

    /** Every Socket Mode envelope of an app and whether it was acknowledged. */
    public List<EnvelopeRecord> envelopes(String appId) {
        AppState app = core.app(appId);
        return app == null ? List.of() : app.socketMode().envelopes();
    }

    /**
     * Every {@code assistant.threads.setStatus} call accepted for a thread, oldest first, including those
     * that cleared it (empty {@link ThreadStatus#status()}). {@code threadTs} is the parent message's ts.
     */
    public List<ThreadStatus> threadStatuses(String channel, String threadTs) {
        return core.teams().stream()
                .flatMap(team -> team.threadStatuses().history(channel, threadTs).stream())
                .toList();
    }

    /**
     * The status the thread shows now, as Slack would: empty once the bot cleared it, replied in the thread,
     * or two minutes (by the simulator's clock) after it was set.
     */
    public Optional<ThreadStatus> threadStatus(String channel, String threadTs) {
        Instant now = core.ids().now();
        return core.teams().stream()
                .flatMap(team -> team.threadStatuses().shown(channel, threadTs, now).stream())
                .findFirst();
    }

    /** Every streamed message (chat.startStream and what followed). */
    public List<StreamedMessage> streams() {
        return core.streams();
    }

    /** Every decision on the authorize page, of every app, oldest first. */
    public List<OAuthConsent> oauthConsents() {
        return core.apps().stream()
                .flatMap(app -> app.consents().stream())
                .sorted(java.util.Comparator.comparing(OAuthConsent::at))
                .toList();
    }

    /**
     * Every installation made through oauth.v2.access, of every app, oldest first. Refreshes are not
     * installations: count them with {@code apiCalls("oauth.v2.access")} and their {@code grant_type}.
     */
    public List<OAuthInstallation> oauthInstallations() {
        return core.apps().stream()
                .flatMap(app -> app.oauthInstallations().stream())
                .sorted(java.util.Comparator.comparing(OAuthInstallation::at))
                .toList();
    }
}
