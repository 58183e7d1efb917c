/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples;

import dev.relax.broker.BrokerOptions;
import dev.relax.broker.RelaxBroker;
import dev.relax.client.RelaxClient;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.RecordedFrame;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The README's first command: Relax end to end with no Slack account. Starts embedded Redis, the local
 * Slack simulator, a broker and the {@link EchoBot} in this JVM, plays a short conversation (a mention, a
 * DM, an edit, a reaction), prints the events and the bot's replies as they flow, and stops everything.
 */
public final class Demo {
    private static final Duration STEP = Duration.ofSeconds(20);

    private Demo() {}

    public static void main(String[] args) throws Exception {
        int status = run();
        System.exit(status);
    }

    /** Runs the demo; returns 0 when every step happened. */
    static int run() throws Exception {
        say("Relax demo: embedded Redis, a local Slack simulator, the broker and an echo bot, all in this JVM.");
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                SlackSimulator slack = SlackSimulator.start()) {
            Workspace ws = slack.workspace("TDEMO", "Northwind", "northwind");
            User alice = ws.user("UALICE", "alice");
            User bob = ws.user("UBOB", "bob");
            Channel general = ws.channel("CGENERAL", "general");
            Bot bot = ws.bot("xoxb-demo-northwind", "URELAXBOT", "relaxbot");
            Channel dm = ws.im(alice, bot);

            RelaxConfig config = RelaxConfig.builder()
                    .keysWithPrefix("relax_demo")
                    .redis(RedisAddress.of(redis.host(), redis.port()))
                    .slackHost(slack.baseUrl())
                    .build();
            try (RelaxBroker broker = RelaxBroker.builder(config)
                            .options(BrokerOptions.builder()
                                    .httpHost("127.0.0.1")
                                    .startJitter(Duration.ZERO)
                                    .build())
                            .build()
                            .start();
                    RelaxClient relax = RelaxClient.create(config);
                    EchoBot echo = new EchoBot(relax, Demo::say).start()) {
                say("  redis " + redis.uri() + "   slack " + slack.baseUrl() + "   broker http://127.0.0.1:"
                        + broker.httpPort() + "/metrics");
                waitFor("the broker to be ready", broker::isReady);

                say("[app]   startBot(TDEMO, " + bot.token() + ")");
                relax.startBot("TDEMO", bot.token().reveal());
                waitFor("relaxbot to connect", () -> ws.openConnections() == 1);
                say("[slack] relaxbot is connected to Northwind");

                say("[slack] alice in #general: @relaxbot what's the deploy status?");
                String ts = ws.as(alice).mention(bot, general, "what's the deploy status?");
                awaitReply(slack, 1);

                say("[slack] alice in a DM: can you check staging?");
                ws.as(alice).post(dm, "can you check staging?");
                awaitReply(slack, 2);

                say("[slack] alice edits her question");
                ws.as(alice).edit(general, ts, "<@" + bot.userId() + "> what's the deploy status for 10:30?");
                say("[slack] bob reacts with :eyes:");
                ws.as(bob).react(general, ts, "eyes");
                waitFor("the edit and the reaction to reach the bot", () -> echo.handled() >= 4);

                say("Done: " + echo.handled() + " events handled, " + echo.replies() + " replies posted to Slack.");
            }
        }
        say("Everything stopped.");
        return 0;
    }

    private static void awaitReply(SlackSimulator slack, int count) throws InterruptedException {
        waitFor("reply " + count, () -> replies(slack).size() >= count);
        String text = replies(slack).get(count - 1).json().path("text").asText();
        say("[slack] relaxbot posted: " + text);
    }

    /** What the bot's socket wrote to Slack: the replies. */
    private static List<RecordedFrame> replies(SlackSimulator slack) {
        return slack.recordings().connections("TDEMO").stream()
                .flatMap(c -> c.sent("message").stream())
                .toList();
    }

    /** Waits for {@code done}, up to 20 s; the demos' one way to wait. */
    static void waitFor(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo waited " + STEP.toSeconds() + " s for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Prints a line of the demos' account. */
    static synchronized void say(String line) {
        System.out.println(line);
    }
}
