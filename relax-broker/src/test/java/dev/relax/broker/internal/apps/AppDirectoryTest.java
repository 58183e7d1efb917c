/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AppDirectoryTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(AppDirectory.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void capture() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
    }

    private String logged() {
        return String.join(
                "\n",
                logs.list.stream()
                        .map(e -> e.getFormattedMessage()
                                + (e.getThrowableProxy() == null
                                        ? ""
                                        : e.getThrowableProxy().getMessage()))
                        .toList());
    }

    @Test
    void malformedAppsAndInstallationsAreLoggedWithTheirFieldButWithoutTheirSecrets() {
        Map<String, String> hash = Map.of(
                "A1", "{\"app_id\":\"A1\",\"signing_secret\": hunterS3CRET}",
                "A2", "{\"app_id\":\"A2\",\"app_token\":\"xapp-1-A2-S3CRET\",\"connections\":99}",
                "A3", "{'app_id':'A3','signing_secret':'hunterS3CRET'}",
                "A4", "{\"app_id\":\"A4\",\"client_secret\":\"hunterS3CRET\"");
        AppDirectory directory =
                new AppDirectory(field -> "{\"app_id\":\"A1\",\"team_id\":\"T1\",\"bot_token\": hunterS3CRET");

        assertThat(directory.decodeAll(hash)).isEmpty();
        assertThat(directory.installation("A1", "T1")).isEmpty();

        assertThat(logs.list).hasSize(5);
        assertThat(logged())
                .contains("apps hash field 'A1'", "'A2'", "'A3'", "'A4'", "installations hash field 'A1:T1'")
                .doesNotContain("S3CRET");
    }
}
