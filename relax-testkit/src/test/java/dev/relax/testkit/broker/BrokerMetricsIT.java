/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.protocol.AppRegistration;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.MetricsPage;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /metrics} of a running broker, scraped and parsed: histograms count exactly what was sent. */
class BrokerMetricsIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int EVENTS = 7;

    @Test
    void histogramsCountTheEventsSentOverRtmAndTheWebApiCallsMade(SlackSimulator slack, EmbeddedRedis redis) {
        Workspace ws = slack.workspace("TMET");
        Bot bot = ws.bot("xoxb-met", "UBOTMET", "relaxbot");
        User alice = ws.user("UAMET", "alice");
        Channel general = ws.channel("CMET", "general");
        try (TestBroker relax = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("met"))
                .start()) {
            relax.register(bot);
            await().atMost(WAIT).until(() -> ws.openConnections() == 1);

            for (int i = 0; i < EVENTS; i++) {
                ws.as(alice).post(general, "m" + i);
            }
            await().atMost(WAIT).until(() -> relax.events().size() == EVENTS);
            // The events reach consumers once pushed; the writer times them right after: wait for that too.
            await().atMost(WAIT)
                    .until(() -> relax.metrics()
                                    .find("relax_event_write_seconds_count{transport=\"rtm\"}")
                                    .orElse(0)
                            == EVENTS);

            MetricsPage page = relax.metrics();
            assertThat(page.count("relax_events_out_total")).isEqualTo(EVENTS);
            MetricsPage.Histogram writes = page.histogram("relax_event_write_seconds{transport=\"rtm\"}");
            assertThat(writes.count()).isEqualTo(EVENTS);
            assertThat(writes.atMost(Double.POSITIVE_INFINITY)).isEqualTo(EVENTS);
            assertThat(writes.buckets()).hasSize(16); // 15 bounds (3 s and 5 s among them) and +Inf
            // Every message frame carries Slack's ts: each event is aged against it too.
            assertThat(page.histogram("relax_event_age_seconds{transport=\"rtm\"}")
                            .count())
                    .isEqualTo(EVENTS);
            assertThat(page.histogram("relax_web_api_call_seconds{method=\"rtm.connect\",outcome=\"ok\"}")
                            .count())
                    .isEqualTo(1);
            assertThat(page.samples().keySet())
                    .filteredOn(s -> s.startsWith("relax_web_api_call_seconds_count"))
                    .containsExactly("relax_web_api_call_seconds_count{method=\"rtm.connect\",outcome=\"ok\"}");
            assertThat(page.count("relax_bots{state=\"connected\"}")).isEqualTo(1);
            assertThat(page.type("relax_event_write_seconds")).contains("histogram");
            assertThat(page.type("relax_frames_in_total")).contains("counter");
            assertThat(page.types()).containsKeys("jvm_memory_used_bytes", "process_uptime_seconds");
            assertThat(page.types().keySet())
                    .allSatisfy(name -> assertThat(page.help(name)).as(name).hasValueSatisfying(h -> assertThat(h)
                            .isNotBlank()));
        }
    }

    @Test
    void histogramsCountTheEnvelopesOfASocketModeAppAndTheirAcks(SlackSimulator slack, EmbeddedRedis redis) {
        String appToken = "xapp-1-AMET-secret";
        App app = slack.app("AMET").appToken(appToken);
        Workspace ws = slack.workspace("TSMET");
        Bot bot = app.install(ws, "xoxb-smet", "UBSMET");
        User bob = ws.user("UBOB", "bob");
        Channel random = ws.channel("CSMET", "random");
        try (TestBroker relax = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("smet"))
                .start()) {
            relax.addInstallation(app.id(), bot);
            relax.client()
                    .registerApp(AppRegistration.socketMode(app.id(), appToken).withConnections(1));
            await().atMost(WAIT).until(() -> app.openConnections() == 1);

            for (int i = 0; i < EVENTS; i++) {
                ws.as(bob).post(random, "m" + i);
            }
            await().atMost(WAIT)
                    .until(() -> relax.metrics()
                                    .find("relax_socket_mode_ack_delay_seconds_count")
                                    .orElse(0)
                            == EVENTS);

            MetricsPage page = relax.metrics();
            assertThat(page.count("relax_socket_mode_envelopes_total")).isEqualTo(EVENTS);
            assertThat(page.count("relax_socket_mode_acks_total")).isEqualTo(EVENTS);
            assertThat(page.histogram("relax_socket_mode_ack_delay_seconds").count())
                    .isEqualTo(EVENTS);
            assertThat(page.histogram("relax_event_write_seconds{transport=\"socket_mode\"}")
                            .count())
                    .isEqualTo(EVENTS);
            // Socket Mode's events_api envelopes carry Slack's event_time.
            assertThat(page.histogram("relax_event_age_seconds{transport=\"socket_mode\"}")
                            .count())
                    .isEqualTo(EVENTS);
            assertThat(page.find("relax_event_write_seconds_count{transport=\"rtm\"}"))
                    .isEmpty();
            assertThat(page.histogram("relax_web_api_call_seconds{method=\"apps.connections.open\",outcome=\"ok\"}")
                            .count())
                    .isEqualTo(1);
            assertThat(page.count("relax_socket_mode_app_connections{app=\"AMET\"}"))
                    .isEqualTo(1);
            assertThat(page.count("relax_socket_mode_connections")).isEqualTo(1);
        }
    }
}
