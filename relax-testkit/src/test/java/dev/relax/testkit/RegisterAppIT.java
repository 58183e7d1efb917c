/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.event.WireEvent;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TestBroker#register(App)}: one call registers a simulated app and its installations. */
class RegisterAppIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final SlackSimulatorExtension extension = SlackSimulatorExtension.create().withBroker();

    @Test
    void registersTheAppAndEveryInstallationInOneCall(SlackSimulator slack, TestBroker broker) {
        Workspace one = slack.workspace("TAPP1");
        Workspace two = slack.workspace("TAPP2");
        User alice = one.user("UALICE", "alice");
        App app = slack.app("AREG").appToken("xapp-reg").signingSecret("s3cret");
        Bot botOne = app.install(one, "xoxb-reg-1", "UREG1");
        app.install(two, "xoxb-reg-2", "UREG2");
        Channel general = one.channel("CREG", "general");

        broker.register(app);

        assertThat(broker.client().apps()).singleElement().satisfies(registered -> {
            assertThat(registered.appId()).isEqualTo("AREG");
            assertThat(registered.appToken().reveal()).isEqualTo("xapp-reg");
            assertThat(registered.signingSecret().reveal()).isEqualTo("s3cret");
            assertThat(registered.connections()).isEqualTo(2);
        });
        assertThat(broker.client().installation("AREG", "TAPP1"))
                .map(Installation::botUserId)
                .contains("UREG1");
        assertThat(broker.client()
                        .installation("AREG", "TAPP2")
                        .orElseThrow()
                        .botToken()
                        .reveal())
                .isEqualTo("xoxb-reg-2");

        slack.awaitConnections("AREG", 2, WAIT);
        one.as(alice).mention(botOne, general, "hi");
        await().atMost(WAIT).until(() -> !broker.events().isEmpty());
        assertThat(broker.events()).extracting(WireEvent::text).containsExactly("<@UREG1> hi");

        broker.client().postMessage("AREG", "TAPP1", "CREG", "hello from the app");
        assertThat(slack.awaitMessage(botOne, general, WAIT).text()).isEqualTo("hello from the app");
    }

    @Test
    void registersAnEventsApiAppWithoutAppToken(SlackSimulator slack, TestBroker broker) {
        App app = slack.app("AHTTP").signingSecret("sign-me");

        broker.register(app);

        assertThat(broker.client().apps())
                .extracting(AppRegistration::appId, r -> r.appToken().isEmpty(), r -> r.signingSecret()
                        .reveal())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("AHTTP", true, "sign-me"));
    }
}
