/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.core.ApiSurface;
import org.junit.jupiter.api.Test;

class ApiSurfaceTest {

    @Test
    void publicSignaturesOfTheBrokerNameNoInternalType() {
        assertThat(ApiSurface.leaks(ApiSurface.classesOf(RelaxBroker.class), "dev.relax.broker"))
                .isEmpty();
    }
}
