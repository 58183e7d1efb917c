/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import dev.relax.broker.BrokerOptions;
import dev.relax.broker.RelaxBroker;
import dev.relax.client.RelaxClient;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.examples.relay.SampleBackend;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.StreamedMessage;
import dev.relax.testkit.ThreadStatus;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The README demo's second part ({@code ./build.sh demo}): the relay end to end with no Slack account and
 * no backend of your own. Starts embedded Redis, the Slack simulator with a Socket Mode app installed in a
 * workspace, a broker, the sample backend (a word every {@link #CHUNK_DELAY}) and the relay in this JVM;
 * alice asks in a channel and in a direct message, and each answer is printed as Slack would show it while
 * it grows. Ends with the Web API calls the answers took, so that the buffering (fewer appends than
 * chunks) is visible.
 *
 * <p>In the test sources because it runs on the testkit's simulator and embedded Redis and on the sample
 * backend of relax-examples, none of which the relay's jar ships.
 */
public final class RelayDemo {
    /** How long each step may take before the demo gives up, naming it. */
    static final Duration STEP = Duration.ofSeconds(20);
    /** Slow enough that the answer is seen growing, fast enough that it is done in about two seconds. */
    static final Duration CHUNK_DELAY = Duration.ofMillis(120);

    static final String APP_ID = "A0RELAY";
    static final String CHANNEL_QUESTION = "what is the deploy status of the payments service?";
    static final String DM_QUESTION = "can you check whether staging is healthy after the last deploy?";

    private static final Duration POLL = Duration.ofMillis(20);
    private static final List<String> ANSWER_FLOW =
            List.of("assistant.threads.setStatus", "chat.startStream", "chat.appendStream", "chat.stopStream");
    private static final String BOT_TOKEN = "xoxb-relay-demo-northwind";
    private static final String APP_TOKEN = "xapp-1-A0RELAY-relay-demo";

    private final PrintStream out;
    private final Duration step;

    private RelayDemo(PrintStream out, Duration step) {
        this.out = out;
        this.step = step;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(System.out, System.err, STEP));
    }

    /**
     * Runs the demo; returns 0 when every step happened, else 1 after saying on {@code err} which step did
     * not happen within {@code step}. Everything it started is stopped either way.
     */
    static int run(PrintStream out, PrintStream err, Duration step) throws Exception {
        try {
            new RelayDemo(out, step).play();
            return 0;
        } catch (StepMissed e) {
            err.println("Relay demo failed: " + e.getMessage());
            return 1;
        }
    }

    private void play() throws Exception {
        say("Relax relay demo: embedded Redis, the Slack simulator, the broker, a sample backend and the relay,"
                + " all in this JVM.");
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                SlackSimulator slack = SlackSimulator.start()) {
            Workspace ws = slack.workspace("TDEMO", "Northwind", "northwind");
            User alice = ws.user("UALICE", "alice");
            App app = slack.app(APP_ID).appToken(APP_TOKEN);
            Bot bot = app.install(ws, BOT_TOKEN, "URELAXBOT", "relaxbot");
            Channel general = ws.channel("CGENERAL", "general");
            Channel dm = ws.im(alice, bot);

            RelaxConfig config = RelaxConfig.builder()
                    .keysWithPrefix("relax_relay_demo")
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
                    SampleBackend backend =
                            SampleBackend.builder().chunkDelay(CHUNK_DELAY).start();
                    Relay relay = Relay.start(relax, RelaySettings.defaults(BackendSettings.defaults(backend.url())))) {
                say("  redis " + redis.uri() + "   slack " + slack.baseUrl() + "   backend " + backend.url()
                        + " (a word every " + CHUNK_DELAY.toMillis() + " ms)");
                waitFor("the broker to be ready", broker::isReady);

                say("[app]   addInstallation(" + APP_ID + ", TDEMO, relaxbot), registerApp(" + APP_ID
                        + ", Socket Mode)");
                relax.addInstallation(Installation.of(APP_ID, ws.id(), bot.userId(), BOT_TOKEN));
                relax.registerApp(AppRegistration.socketMode(APP_ID, APP_TOKEN));
                waitFor("the app to connect over Socket Mode", () -> app.openConnections() >= 1);
                say("[slack] the app " + APP_ID + " is connected over Socket Mode; the relay answers as relaxbot");

                say("[slack] alice in #general: @relaxbot " + CHANNEL_QUESTION);
                String asked = ws.as(alice).mention(bot, general, CHANNEL_QUESTION);
                watchAnswer(slack, general, asked);

                say("[slack] alice in a DM: " + DM_QUESTION);
                String askedInDm = ws.as(alice).post(dm, DM_QUESTION);
                watchAnswer(slack, dm, askedInDm);

                waitFor("the relay to finish both questions", () -> relay.questionsDone() == 2);
                int chunks = SampleBackend.chunksOf(SampleBackend.answerTo(CHANNEL_QUESTION))
                                .size()
                        + SampleBackend.chunksOf(SampleBackend.answerTo(DM_QUESTION))
                                .size();
                List<ApiCall> calls = slack.recordings().apiCalls().stream()
                        .filter(c -> c.token().reveal().equals(BOT_TOKEN))
                        .toList();
                say("Done: " + relay.questionsDone() + " questions answered, " + calls.size() + " Web API calls ("
                        + countsByMethod(calls) + ") for " + chunks + " chunks from the backend.");
            }
        }
        say("Everything stopped.");
    }

    /**
     * Prints what the thread of {@code questionTs} shows, each time it changes: the bot's status, then its
     * streamed answer as it grows, until the stream is stopped.
     */
    private void watchAnswer(SlackSimulator slack, Channel channel, String questionTs) throws InterruptedException {
        long deadline = System.nanoTime() + step.toNanos();
        int statusesShown = 0;
        String shown = null;
        while (true) {
            List<ThreadStatus> statuses = slack.recordings().threadStatuses(channel.id(), questionTs);
            for (; statusesShown < statuses.size(); statusesShown++) {
                String status = statuses.get(statusesShown).status();
                if (!status.isEmpty()) {
                    say("[slack] thread status: relaxbot " + status);
                }
            }
            Optional<StreamedMessage> answer = slack.recordings().streams().stream()
                    .filter(m ->
                            m.channel().equals(channel.id()) && m.threadTs().equals(questionTs))
                    .findFirst();
            if (answer.isPresent()) {
                StreamedMessage message = answer.get();
                if (message.stopped()) {
                    say("[slack] relaxbot (done): " + message.text());
                    return;
                }
                if (!message.text().equals(shown)) {
                    shown = message.text();
                    say("[slack] relaxbot (streaming): " + shown);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new StepMissed(
                        "waited " + seconds() + " for the answer in " + channel.id() + " to end; Slack shows "
                                + answer.map(m -> "\"" + m.text() + "\"").orElse("no answer"));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** {@code "2 assistant.threads.setStatus, 2 chat.startStream, …"}: the answer's methods in the order it calls them. */
    private static String countsByMethod(List<ApiCall> calls) {
        Map<String, Long> counts =
                calls.stream().collect(Collectors.groupingBy(ApiCall::method, TreeMap::new, Collectors.counting()));
        Comparator<String> flow = Comparator.comparing(
                method -> ANSWER_FLOW.contains(method) ? ANSWER_FLOW.indexOf(method) : ANSWER_FLOW.size());
        return counts.keySet().stream()
                .sorted(flow.thenComparing(Comparator.naturalOrder()))
                .map(method -> counts.get(method) + " " + method)
                .collect(Collectors.joining(", "));
    }

    private void waitFor(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + step.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new StepMissed("waited " + seconds() + " for " + what);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private String seconds() {
        return step.toMillis() % 1000 == 0 ? step.toSeconds() + " s" : step.toMillis() + " ms";
    }

    private synchronized void say(String line) {
        out.println(line);
    }

    /** A step that did not happen in time; its message names the step. */
    private static final class StepMissed extends RuntimeException {
        StepMissed(String message) {
            super(message);
        }
    }
}
