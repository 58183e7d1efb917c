/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void toStringShowsOnlyTheKindOfToken() {
        assertThat(Secret.of("xoxb-1234-abcd")).hasToString("xoxb-****");
        assertThat(Secret.of("xapp-1-A1-xyz")).hasToString("xapp-****");
        assertThat(Secret.of("hunter2")).hasToString("****");
        assertThat(Secret.of(null)).hasToString("(empty)");
    }

    @Test
    void equalsComparesTheValue() {
        assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).isNotEqualTo(Secret.of("b"));
        assertThat(Secret.of("a").reveal()).isEqualTo("a");
    }
}
