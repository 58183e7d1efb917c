/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static org.awaitility.Awaitility.await;

import dev.relax.core.protocol.AppRegistration;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EventDelivery;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.List;

/**
 * An Events API app installed in a workspace with a person and a channel, and known to the broker: where
 * the Events API ITs start from.
 */
record EventsApiApp(App app, String secret, Workspace ws, Bot bot, User alice, Channel general) {
    /**
     * Registers the app {@code appId}, whose signing secret is {@code secret}, with the broker, and installs
     * it into a new workspace {@code teamId} (alice {@code UA<teamId>}, channel {@code C<teamId>}, bot
     * {@code UB<teamId>}), in the simulator and with the broker.
     */
    static EventsApiApp register(SlackSimulator slack, TestBroker relax, String appId, String secret, String teamId) {
        App app = slack.app(appId).signingSecret(secret);
        relax.client().registerApp(AppRegistration.eventsApi(app.id(), secret));
        return install(slack, relax, app, secret, teamId);
    }

    /** The same app installed into another new workspace {@code teamId}. */
    EventsApiApp installIn(SlackSimulator slack, TestBroker relax, String teamId) {
        return install(slack, relax, app, secret, teamId);
    }

    private static EventsApiApp install(SlackSimulator slack, TestBroker relax, App app, String secret, String teamId) {
        Workspace ws = slack.workspace(teamId);
        User alice = ws.user("UA" + teamId, "alice");
        Channel general = ws.channel("C" + teamId, "general");
        Bot bot = app.install(ws, "xoxb-" + teamId + "-app", "UB" + teamId);
        relax.addInstallation(app.id(), bot);
        return new EventsApiApp(app, secret, ws, bot, alice, general);
    }

    /**
     * Saves the broker's {@code /slack/events} as the app's request URL, as in Slack's app settings, once
     * the broker, which applies app_added asynchronously, answers the url_verification.
     */
    void pointAt(TestBroker relax, Duration within) {
        await().atMost(within)
                .ignoreExceptionsInstanceOf(IllegalStateException.class)
                .until(() -> app.eventsUrl(SlackRequests.url(relax, "/slack/events")) != null);
    }

    /** The event_callback requests the simulator sent the app, retries included, in order. */
    List<EventDelivery> callbacks(SlackSimulator slack) {
        return slack.recordings().eventDeliveries(app.id()).stream()
                .filter(d -> d.type().equals("event_callback"))
                .toList();
    }
}
