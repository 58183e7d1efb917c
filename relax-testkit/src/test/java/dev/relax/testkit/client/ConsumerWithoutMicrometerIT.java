/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Micrometer is optional: an application without it on its class path consumes events. */
class ConsumerWithoutMicrometerIT extends ConsumerITSupport {
    ConsumerWithoutMicrometerIT() {
        super("nomicrometer");
    }

    @Test
    void aConsumerRunsWithoutMicrometerOnTheClassPath() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("micrometer")
                        && !entry.contains("HdrHistogram")
                        && !entry.contains("LatencyUtils"))
                .collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String prefix = config.eventsQueue().substring(0, config.eventsQueue().length() - "_events".length());
        Path out = Files.createTempFile("plain-consumer", ".log");
        Process consumer = new ProcessBuilder(
                        java,
                        "-cp",
                        classPath,
                        PlainConsumerMain.class.getName(),
                        Integer.toString(slack.redis().port()),
                        prefix)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        try {
            redis.rpush(config.eventsQueue(), message("T1", "C1", "hello"));

            assertThat(consumer.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the consumer process ended")
                    .isTrue();
            String output = Files.readString(out);
            assertThat(consumer.exitValue()).as(output).isZero();
            assertThat(output.lines()).as(output).contains("HANDLED hello WITHOUT MICROMETER");
        } finally {
            consumer.destroyForcibly();
        }
    }
}
