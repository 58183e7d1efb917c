/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.event.WireEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension with a broker: what a bot author's test looks like. */
class BrokerExtensionIT {
    @RegisterExtension
    final SlackSimulatorExtension slack = SlackSimulatorExtension.create().withBroker();

    @Test
    void wiresSimulatorRedisAndBrokerForATest(SlackSimulator sim, TestBroker relax, EmbeddedRedis redis) {
        Workspace ws = sim.workspace("TEXT1");
        User alice = ws.user("UEXT1", "alice");
        Channel general = ws.channel("CEXT1", "general");
        Bot bot = ws.bot("xoxb-ext-1", "UBOTEXT1", "relaxbot");

        relax.register(bot);
        await().atMost(Duration.ofSeconds(10)).until(() -> ws.openConnections() == 1);
        ws.as(alice).mention(bot, general, "hello");

        await().atMost(Duration.ofSeconds(10)).until(() -> !relax.events().isEmpty());
        assertThat(relax.events()).extracting(WireEvent::text).containsExactly("<@UBOTEXT1> hello");
        assertThat(relax.config().redis().port()).isEqualTo(redis.port());
        assertThat(slack.broker()).isSameAs(relax);
    }
}
