/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.examples.relay.SampleBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README demo's relay part runs to its end, and shows each answer growing in Slack until it is done. */
class RelayDemoIT {
    private static final String STREAMING = "[slack] relaxbot (streaming): ";

    private record Run(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        /** The states of an answer printed between its question and its last state, in order. */
        List<String> growth(String questionLine, String answer) {
            List<String> lines = lines();
            int from = lines.indexOf(questionLine);
            int to = lines.indexOf("[slack] relaxbot (done): " + answer);
            assertThat(from).as("the question in:%n%s", out).isNotNegative();
            assertThat(to).as("the finished answer in:%n%s", out).isGreaterThan(from);
            return lines.subList(from + 1, to).stream()
                    .filter(l -> l.startsWith(STREAMING))
                    .map(l -> l.substring(STREAMING.length()))
                    .toList();
        }
    }

    /**
     * At least one state short of the whole answer, each a longer start of {@code answer} than the one
     * before. The last may be the whole answer: a poll between the last append and the stop sees it all
     * while the stream is still open.
     */
    private static void assertGrew(List<String> growth, String answer) {
        assertThat(growth).as("what Slack showed before the end").isNotEmpty();
        assertThat(growth.getFirst()).isNotEqualTo(answer);
        String before = "";
        for (String state : growth) {
            assertThat(answer).startsWith(state);
            assertThat(state).startsWith(before).isNotEqualTo(before);
            before = state;
        }
    }

    private static Run run(Duration step) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RelayDemo.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                step);
        Run run = new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.print(run.out());
        System.err.print(run.err());
        return run;
    }

    @Test
    void demoShowsBothAnswersGrowingInSlackThenStopsEverything() throws Exception {
        Run run = run(RelayDemo.STEP);

        assertThat(run.status()).as(run.err()).isZero();
        String channelAnswer = SampleBackend.answerTo(RelayDemo.CHANNEL_QUESTION);
        String dmAnswer = SampleBackend.answerTo(RelayDemo.DM_QUESTION);
        assertThat(channelAnswer)
                .isEqualTo("You asked: what is the deploy status of the payments service? — that is all I know.");
        assertThat(run.lines())
                .contains(
                        "[slack] the app A0RELAY is connected over Socket Mode; the relay answers as relaxbot",
                        "[slack] thread status: relaxbot is thinking…",
                        "[slack] relaxbot (done): " + channelAnswer,
                        "[slack] relaxbot (done): " + dmAnswer,
                        "Everything stopped.");
        assertGrew(
                run.growth("[slack] alice in #general: @relaxbot " + RelayDemo.CHANNEL_QUESTION, channelAnswer),
                channelAnswer);
        assertGrew(run.growth("[slack] alice in a DM: " + RelayDemo.DM_QUESTION, dmAnswer), dmAnswer);
        // Buffered: the 36 chunks of the two answers took far fewer appends.
        Matcher done = Pattern.compile("Done: 2 questions answered, (\\d+) Web API calls \\(2 assistant\\.threads"
                        + "\\.setStatus, 2 chat\\.startStream, (\\d+) chat\\.appendStream, 2 chat\\.stopStream\\)"
                        + " for 36 chunks from the backend\\.")
                .matcher(run.out());
        assertThat(done.find()).as(run.out()).isTrue();
        int appends = Integer.parseInt(done.group(2));
        assertThat(appends)
                .as("at most one per flush interval, not one per chunk")
                .isBetween(1, 36 / 2);
        assertThat(Integer.parseInt(done.group(1))).isEqualTo(2 + appends + 2 + 2);
        assertThat(run.out()).doesNotContain("xoxb-", "xapp-");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aStepThatDoesNotHappenInTimeEndsTheDemoSayingWhichStep() throws Exception {
        Run run = run(Duration.ofMillis(1));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("Relay demo failed: waited 1 ms for ");
        assertThat(run.out()).doesNotContain("Done:", "Everything stopped.");
    }
}
