/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.redis.Leases;
import dev.relax.broker.internal.slack.Backoff;
import dev.relax.broker.internal.slack.FakeRedis;
import dev.relax.broker.internal.slack.FakeSlackHttp;
import dev.relax.broker.internal.slack.FakeTimers;
import dev.relax.broker.internal.slack.FakeTransport;
import dev.relax.broker.internal.slack.RtmTranslator;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.core.MutexMode;
import dev.relax.core.protocol.AppRegistration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SocketModeLink on a fake transport, Web API, Redis and timers: envelopes, acks, refreshes, disable. */
class SocketModeLinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPEN = "{\"ok\":true,\"url\":\"wss://slack.test/link\"}";
    private static final String HELLO = "{\"type\":\"hello\",\"num_connections\":1}";
    private static final Duration TTL = Duration.ofSeconds(60);

    private final FakeTimers timers = new FakeTimers();
    private final FakeTimers workers = new FakeTimers();
    private final FakeTransport transport = new FakeTransport();
    private final FakeSlackHttp slack = new FakeSlackHttp();
    private final FakeRedis redis = new FakeRedis();
    private final BrokerMetrics metrics = new BrokerMetrics();

    private SocketModeLink link(int connections) {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        AppContext ctx = new AppContext(
                "apps",
                slack.api(),
                transport,
                new AppEventTranslator(new RtmTranslator(clock, false, JSON.getFactory()), clock),
                new AppDirectory(field -> null),
                new EventWriter(
                        null,
                        "q",
                        "m",
                        MutexMode.HASH,
                        Duration.ofMinutes(1),
                        100,
                        10,
                        Duration.ZERO,
                        metrics,
                        BrokerTracing.noop()),
                new Leases(redis.connection(), "broker-1"),
                timers,
                workers,
                metrics,
                JSON,
                clock,
                TTL,
                Duration.ofSeconds(5),
                3,
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
                timers::ticker);
        AppRegistration app = new AppRegistration(
                "A1", dev.relax.core.Secret.of("xapp-1"), dev.relax.core.Secret.of(""), "", connections);
        return new SocketModeLink(ctx, new SocketModeApp(ctx, app), 0, timers.ticker() + TTL.toNanos());
    }

    private void runWork() {
        workers.advance(Duration.ZERO);
    }

    private SocketModeLink connected(int connections) {
        transport.onConnect = List.of(HELLO);
        slack.answer(OPEN);
        SocketModeLink link = link(connections);
        link.start();
        runWork();
        return link;
    }

    @Test
    void connectsOnHelloAndAcksAnEnvelopeOnlyOnceItsEventIsInRedis() {
        SocketModeLink link = connected(1);
        assertThat(slack.calls).containsExactly("apps.connections.open");
        assertThat(link.open()).isTrue();

        transport
                .socket(0)
                .receive(
                        "{\"type\":\"events_api\",\"envelope_id\":\"e1\",\"payload\":{\"team_id\":\"T1\","
                                + "\"event\":{\"type\":\"message\",\"channel\":\"C1\",\"user\":\"U1\",\"text\":\"hi\",\"ts\":\"1.1\"}}}");
        runWork();

        assertThat(metrics.envelopesIn.count()).isEqualTo(1);
        assertThat(metrics.eventsIn.count()).isEqualTo(1);
        assertThat(transport.socket(0).sent)
                .as("the writer never stored it: no ack")
                .isEmpty();
    }

    @Test
    void frameOfAnotherTypeWithAnEnvelopeIdIsAckedAtOnce() {
        connected(1);

        transport.socket(0).receive("{\"type\":\"something_new\",\"envelope_id\":\"e9\"}");

        assertThat(transport.socket(0).sent).containsExactly("{\"envelope_id\":\"e9\"}");
        assertThat(metrics.envelopesAcked.count()).isEqualTo(1);
    }

    @Test
    void refreshUnderASpareSlotRetiresTheOldSocketTwoSecondsAfterTheNewOnesHello() {
        SocketModeLink link = connected(2);
        slack.answer(OPEN.replace("/link", "/link2"));

        transport.socket(0).receive("{\"type\":\"disconnect\",\"reason\":\"refresh_requested\"}");
        runWork();

        assertThat(transport.sockets).hasSize(2);
        assertThat(redis.commands).anyMatch(c -> c.startsWith("set apps:lease:A1:"));
        assertThat(transport.socket(0).closeCode)
                .as("open beside its replacement")
                .isZero();
        timers.advance(Duration.ofMillis(1999));
        assertThat(transport.socket(0).closeCode).isZero();
        timers.advance(Duration.ofMillis(1));
        assertThat(transport.socket(0).closeCode).isEqualTo(1000);
        assertThat(transport.socket(1).closeCode).isZero();
        runWork();
        assertThat(redis.commands).as("the spare lease given back").anyMatch(c -> c.startsWith("eval "));
        assertThat(link.open()).isTrue();
    }

    @Test
    void refreshWithoutASpareSlotClosesTheOldSocketFirst() {
        SocketModeLink link = connected(10); // Slack's 10: no spare slot exists
        slack.answer(OPEN.replace("/link", "/link2"));

        transport.socket(0).receive("{\"type\":\"disconnect\",\"reason\":\"warning\"}");
        assertThat(transport.sockets).hasSize(1);
        runWork();

        assertThat(transport.socket(0).closeCode).isEqualTo(1000);
        assertThat(transport.sockets).hasSize(2);
        assertThat(redis.commands).noneMatch(c -> c.startsWith("set "));
        assertThat(link.open()).isTrue();
    }

    @Test
    void linkDisabledEmitsDisableBotOnceAndClosesTheSocket() {
        SocketModeLink link = connected(1);

        transport.socket(0).receive("{\"type\":\"disconnect\",\"reason\":\"link_disabled\"}");
        transport.socket(0).receive("{\"type\":\"disconnect\",\"reason\":\"link_disabled\"}");
        runWork();
        timers.advance(Duration.ofMinutes(5));
        runWork();

        assertThat(metrics.eventsIn.count()).as("one disable_bot").isEqualTo(1);
        assertThat(transport.socket(0).closeCode).isEqualTo(1000);
        assertThat(transport.sockets).hasSize(1);
        assertThat(slack.calls).containsExactly("apps.connections.open");
        assertThat(link.open()).isFalse();
    }
}
