/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relax.core.RelaxException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jar's choice of logback configuration from {@code RELAX_LOG_FORMAT}. */
class MainTest {
    @Test
    void logFormatIsTextByDefaultOrJson() {
        assertThat(Main.logConfiguration(Map.of())).isEqualTo("relax-logback.xml");
        assertThat(Main.logConfiguration(Map.of("RELAX_LOG_FORMAT", "text"))).isEqualTo("relax-logback.xml");
        assertThat(Main.logConfiguration(Map.of("RELAX_LOG_FORMAT", " JSON "))).isEqualTo("relax-logback-json.xml");
        assertThatThrownBy(() -> Main.logConfiguration(Map.of("RELAX_LOG_FORMAT", "xml")))
                .isInstanceOf(RelaxException.class)
                .hasMessage("RELAX_LOG_FORMAT must be text or json, was 'xml'");
    }
}
