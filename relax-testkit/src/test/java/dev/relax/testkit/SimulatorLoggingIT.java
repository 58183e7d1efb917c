/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The simulator's own start and stop lines: at DEBUG, so a test run stays quiet, and with the real port. */
class SimulatorLoggingIT {
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.relax.testkit.internal.SimulatorCore");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level before;

    @BeforeEach
    void listen() {
        before = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(lines);
        logger.setLevel(before);
    }

    @Test
    void logsStartAndStopAtDebugWithTheRealPort() {
        String baseUrl;
        try (SlackSimulator slack = SlackSimulator.start()) {
            baseUrl = slack.baseUrl();
        }
        int port = URI.create(baseUrl).getPort();

        assertThat(port).isPositive();
        assertThat(lines.list)
                .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        tuple(Level.DEBUG, "Slack simulator listening on " + baseUrl),
                        tuple(Level.DEBUG, "Slack simulator on port " + port + " stopped"));
    }
}
