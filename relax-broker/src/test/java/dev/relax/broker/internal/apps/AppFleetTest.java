/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.FakeTimers;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Command;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** App commands and reconciliations, without Redis or sockets: the ticks they ask for are counted, not run. */
class AppFleetTest {
    static final String EVENTS_API_APP = "{\"app_id\":\"A1\",\"signing_secret\":\"s1\"}";

    private final BrokerMetrics metrics = new BrokerMetrics();
    /** Runs nothing until advanced: the ticks each command asks for are only counted. */
    private final FakeTimers workers = new FakeTimers();
    /** The installations hash. */
    private final Map<String, String> installations = new HashMap<>();

    private final AppDirectory directory = new AppDirectory(installations::get);
    private final AppFleet fleet = new AppFleet(AppContexts.withoutSockets("bots:apps", directory, workers, metrics));

    @Test
    void appAddedReadsTheRegistrationServesTheAppAndRunsATick() {
        List<String> read = new ArrayList<>();

        fleet.apply(new Command.AppAdded("A1"), field -> {
            read.add(field);
            return EVENTS_API_APP;
        });

        assertThat(read).containsExactly("A1");
        assertThat(directory.app("A1")).isNotNull();
        assertThat(directory.app("A1").signingSecret().reveal()).isEqualTo("s1");
        assertThat(workers.pendingDelays()).hasSize(1);
        assertThat(metrics.commandsRejected.count()).isZero();
    }

    @Test
    void appAddedWithoutARegistrationOrWithABadOneIsRejected() {
        fleet.apply(new Command.AppAdded("A1"), field -> null);
        fleet.apply(new Command.AppAdded("A2"), field -> "{\"app_id\":");

        assertThat(directory.apps()).isEmpty();
        assertThat(metrics.commandsRejected.count()).isEqualTo(2);
        assertThat(workers.pendingDelays()).isEmpty();
    }

    @Test
    void appRemovedForgetsTheApp() {
        fleet.apply(new Command.AppAdded("A1"), field -> EVENTS_API_APP);

        fleet.apply(new Command.AppRemoved("A1"), field -> {
            throw new AssertionError("app_removed reads nothing");
        });

        assertThat(directory.app("A1")).isNull();
        assertThat(workers.pendingDelays()).hasSize(2);
    }

    @Test
    void installationCommandsDropTheCachedInstallation() {
        installations.put("A1:T1", "{\"app_id\":\"A1\",\"team_id\":\"T1\",\"bot_token\":\"xoxb-1\"}");
        directory.installation("A1", "T1");
        directory.installation("A2", "T2");
        assertThat(directory.installationCached("A1", "T1")).isTrue();

        fleet.apply(new Command.InstallationRemoved("A1", "T1"), field -> null);
        fleet.apply(new Command.InstallationAdded("A2", "T2"), field -> null);

        assertThat(directory.installationCached("A1", "T1")).isFalse();
        assertThat(directory.installationCached("A2", "T2")).isFalse();
        assertThat(metrics.commandsRejected.count()).isZero();
    }

    @Test
    void reconcileReplacesTheAppsWithTheHashAndForgetsInstallations() {
        fleet.apply(new Command.AppAdded("A0"), field -> "{\"app_id\":\"A0\",\"signing_secret\":\"s0\"}");
        installations.put("A1:T1", "{\"app_id\":\"A1\",\"team_id\":\"T1\",\"bot_token\":\"xoxb-1\"}");
        directory.installation("A1", "T1");

        fleet.reconcile(Map.of("A1", EVENTS_API_APP, "A2", "{\"app_id\":\"A2\",\"signing_secret\":\"s2\"}"));

        assertThat(directory.apps()).extracting(AppRegistration::appId).containsExactlyInAnyOrder("A1", "A2");
        assertThat(directory.installationCached("A1", "T1")).isFalse();
        assertThat(workers.pendingDelays()).hasSize(2);
    }

    @Test
    void anEmptyAppsHashKeepsTheAppsThisBrokerKnows() {
        fleet.apply(new Command.AppAdded("A1"), field -> EVENTS_API_APP);

        fleet.reconcile(Map.of());

        assertThat(directory.apps()).extracting(AppRegistration::appId).containsExactly("A1");
        assertThat(workers.pendingDelays()).hasSize(1);
    }

    @Test
    void anEmptyAppsHashIsTakenAsIsWhenNoAppIsKnown() {
        fleet.reconcile(Map.of());

        assertThat(directory.apps()).isEmpty();
        assertThat(workers.pendingDelays()).hasSize(1);
    }
}
