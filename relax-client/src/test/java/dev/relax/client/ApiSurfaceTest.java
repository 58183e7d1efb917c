/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.core.ApiSurface;
import org.junit.jupiter.api.Test;

class ApiSurfaceTest {

    @Test
    void publicSignaturesOfTheClientNameNoInternalType() {
        assertThat(ApiSurface.leaks(ApiSurface.classesOf(RelaxClient.class), "dev.relax.client"))
                .isEmpty();
    }
}
