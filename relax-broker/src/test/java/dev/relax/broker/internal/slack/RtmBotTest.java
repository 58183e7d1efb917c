/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import dev.relax.broker.internal.redis.EventWriter;
import dev.relax.broker.internal.redis.SendClaims;
import dev.relax.broker.internal.trace.BrokerTracing;
import dev.relax.core.MutexMode;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Command;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** RtmBot on a fake transport, fake Slack Web API, fake Redis and fake timers: no sockets, no waiting. */
class RtmBotTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGIN = "{\"ok\":true,\"url\":\"wss://slack.test/rtm\",\"self\":{\"id\":\"USELF\"}}";

    private final FakeTimers timers = new FakeTimers();
    private final FakeTimers workers = new FakeTimers();
    private final FakeTransport transport = new FakeTransport();
    private final FakeSlackHttp slack = new FakeSlackHttp();
    private final FakeRedis redis = new FakeRedis();
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final BotRegistration registration = BotRegistration.of("T1", "xoxb-1");
    private BotRegistration storedRegistration;

    private RtmBot bot(boolean mentionsAndDmsOnly) {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        RtmContext ctx = new RtmContext(
                new RtmSettings(
                        "rtm.connect",
                        Duration.ofSeconds(5),
                        3,
                        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
                        mentionsAndDmsOnly,
                        10),
                slack.api(),
                transport,
                new RtmTranslator(clock, false, JSON.getFactory()),
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
                new SendClaims(redis.connection(), "m", MutexMode.HASH, Duration.ofMinutes(1), "broker-1"),
                timers,
                workers,
                new Semaphore(1),
                metrics,
                JSON,
                clock,
                field -> storedRegistration,
                timers::ticker,
                outcome -> {});
        return new RtmBot(ctx, registration);
    }

    private void runWork() {
        workers.advance(Duration.ZERO);
    }

    private RtmBot connected(boolean mentionsAndDmsOnly) {
        slack.answer(LOGIN);
        RtmBot bot = bot(mentionsAndDmsOnly);
        bot.start(Duration.ZERO);
        runWork();
        transport.socket(0).receive("{\"type\":\"hello\"}");
        return bot;
    }

    private static String message(String channel, String text) {
        return "{\"type\":\"message\",\"channel\":\"" + channel + "\",\"user\":\"U2\",\"text\":\"" + text
                + "\",\"ts\":\"1700000000.000100\"}";
    }

    @Test
    void logsInWithRtmConnectAndWritesTranslatedEvents() {
        RtmBot bot = connected(false);

        assertThat(slack.calls).containsExactly("rtm.connect");
        assertThat(bot.state()).isEqualTo(RtmBot.State.CONNECTED);
        assertThat(redis.commands).containsExactly("hset bot-T1-started");

        transport.socket(0).receive(message("C1", "hello"));
        transport.socket(0).receive("{\"type\":\"user_typing\"}");

        assertThat(metrics.eventsIn.count())
                .as("the message only: typing is not reported")
                .isEqualTo(1);
        assertThat(MDC.get("team")).isNull();
    }

    @Test
    void mentionsOnlyFilterKnowsTheBotUserFromTheLogin() {
        connected(true);

        transport.socket(0).receive(message("C1", "no mention"));
        transport.socket(0).receive(message("C1", "hey <@USELF> there"));
        transport.socket(0).receive(message("D1", "a DM"));

        assertThat(metrics.eventsIn.count()).isEqualTo(2);
    }

    @Test
    void pingsAreRtmPingMessagesOnTheSocket() {
        connected(false);

        timers.advance(Duration.ofSeconds(5));

        assertThat(transport.socket(0).sent).containsExactly("{\"id\":1,\"type\":\"ping\"}");
    }

    @Test
    void messagesWaitForTheSocketAndGoOutOnceClaimed() {
        slack.answer(LOGIN);
        RtmBot bot = bot(false);
        bot.send(new Command.SendMessage(registration.id(), "m1", "{\"text\":\"early\"}"));
        bot.start(Duration.ZERO);
        runWork();
        bot.send(new Command.SendMessage(registration.id(), "m2", "{\"text\":\"later\"}"));

        assertThat(transport.socket(0).sent).containsExactly("{\"text\":\"early\"}", "{\"text\":\"later\"}");
        assertThat(redis.commands)
                .containsExactly("hsetnx send_slack_message:m1", "hset bot-T1-started", "hsetnx send_slack_message:m2");
        assertThat(metrics.messagesSent.count()).isEqualTo(2);
    }

    @Test
    void messageWrittenToADroppedSocketIsKeptForTheNextOne() {
        RtmBot bot = connected(false);
        slack.answer(LOGIN.replace("/rtm", "/rtm2"));
        transport.socket(0).open = false; // gone, and the close not reported yet

        bot.send(new Command.SendMessage(registration.id(), "m1", "{\"text\":\"hi\"}"));
        transport.socket(0).drop();
        timers.advance(Duration.ofSeconds(1));
        runWork();

        assertThat(transport.sockets).hasSize(2);
        assertThat(transport.socket(1).sent).containsExactly("{\"text\":\"hi\"}");
        assertThat(redis.commands)
                .as("claimed once, written on the next socket")
                .containsOnlyOnce("hsetnx send_slack_message:m1");
    }

    @Test
    void refusedTokenEmitsDisableBotOnceAndStopsRetrying() {
        slack.answer("{\"ok\":false,\"error\":\"token_revoked\"}");
        RtmBot bot = bot(false);
        bot.start(Duration.ZERO);
        runWork();
        timers.advance(Duration.ofMinutes(5));
        runWork();

        assertThat(bot.state()).isEqualTo(RtmBot.State.DISABLED);
        assertThat(metrics.eventsIn.count()).as("disable_bot").isEqualTo(1);
        assertThat(slack.calls).containsExactly("rtm.connect");
    }

    @Test
    void refusalOfARotatedTokenStopsTheBotWithoutDisableBot() {
        storedRegistration = BotRegistration.of("T1", "xoxb-2");
        slack.answer("{\"ok\":false,\"error\":\"invalid_auth\"}");
        RtmBot bot = bot(false);
        bot.start(Duration.ZERO);
        runWork();

        assertThat(bot.state()).isEqualTo(RtmBot.State.STOPPED);
        assertThat(metrics.eventsIn.count()).isZero();
    }
}
