/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.core.fixture.Leaky;
import org.junit.jupiter.api.Test;

class ApiSurfaceTest {

    @Test
    void publicSignaturesOfCoreNameNoInternalType() {
        assertThat(ApiSurface.leaks(ApiSurface.classesOf(RelaxConfig.class), "dev.relax"))
                .isEmpty();
    }

    @Test
    void checkerReportsEveryLeakOfAnInternalType() {
        assertThat(ApiSurface.leaks(ApiSurface.classesOf(Leaky.class), "dev.relax.core.fixture"))
                .containsExactlyInAnyOrder(
                        "dev.relax.core.fixture.Leaky method all returns dev.relax.core.fixture.internal.Hidden",
                        "dev.relax.core.fixture.Leaky method take parameter dev.relax.core.fixture.internal.Hidden",
                        "dev.relax.core.fixture.Leaky field field dev.relax.core.fixture.internal.Hidden");
    }
}
