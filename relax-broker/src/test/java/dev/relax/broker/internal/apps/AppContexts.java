/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.slack.FakeTimers;
import java.time.Clock;
import java.time.Duration;

/** App contexts for unit tests of what runs without Slack or Redis. */
public final class AppContexts {
    private AppContexts() {}

    /**
     * No Web API, websockets, translator, event writer or leases: enough for commands, reconciliations and
     * ticks of apps that do not use Socket Mode. Ticks wait on {@code workers} until it is advanced.
     */
    public static AppContext withoutSockets(
            String appsKey, AppDirectory directory, FakeTimers workers, BrokerMetrics metrics) {
        return new AppContext(
                appsKey,
                null,
                null,
                null,
                directory,
                null,
                null,
                workers,
                workers,
                metrics,
                null,
                Clock.systemUTC(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                3,
                null,
                workers::ticker);
    }
}
