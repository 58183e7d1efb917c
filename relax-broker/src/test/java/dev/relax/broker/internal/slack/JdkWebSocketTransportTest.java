/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JdkWebSocketTransportTest {

    private static Map<String, String> httpClientProperties() {
        Map<String, String> found = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("jdk.httpclient."))
                .forEach(name -> found.put(name, System.getProperty(name)));
        return found;
    }

    @Test
    void buildingAndClosingTheTransportLeavesTheJvmsHttpClientPropertiesAlone() {
        Map<String, String> before = httpClientProperties();

        try (JdkWebSocketTransport transport = new JdkWebSocketTransport(1_000)) {
            assertThat(httpClientProperties()).isEqualTo(before);
        }

        assertThat(httpClientProperties()).isEqualTo(before);
        assertThat(before)
                .doesNotContainKeys(JdkWebSocketTransport.BUFFER_SIZES.keySet().toArray(String[]::new));
    }
}
