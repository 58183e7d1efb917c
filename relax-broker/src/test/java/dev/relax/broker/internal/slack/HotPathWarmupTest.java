/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.protocol.BotId;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotPathWarmupTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everySampleOfAReportedKindMakesItsEventAndTheOthersNone() throws Exception {
        RtmTranslator translator = new RtmTranslator(Clock.systemUTC(), false, MAPPER.getFactory());
        BotIdentity bot = new BotIdentity(BotId.of("T0WARM"), "U0BOT");

        List<String> types = HotPathWarmup.FRAMES.stream()
                .map(f -> {
                    try {
                        Translated t = translator.translate(bot, FrameParser.parse(MAPPER.getFactory(), f));
                        return t == null ? "-" : t.event().type();
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                })
                .toList();

        assertThat(types)
                .containsExactly(
                        "message_new",
                        "message_new",
                        "message_new",
                        "message_edited",
                        "message_deleted",
                        "reaction_added",
                        "reaction_removed",
                        "-",
                        "-",
                        "team_joined",
                        "im_created");
    }

    @Test
    void runsEveryRoundAndCountsTheEventsItDropped() {
        HotPathWarmup w = new HotPathWarmup(MAPPER.getFactory(), Clock.systemUTC(), 3, 0);

        assertThat(w.run()).isEqualTo(3 * 9);
    }

    @Test
    void closeStopsAWarmUpUnderWay() {
        HotPathWarmup w = HotPathWarmup.start(MAPPER.getFactory(), Clock.systemUTC(), Integer.MAX_VALUE);
        Thread thread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("relax-warmup"))
                .findFirst()
                .orElseThrow();
        assertThat(thread.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
        assertThat(thread.isDaemon()).isTrue();

        w.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> !thread.isAlive());
    }
}
