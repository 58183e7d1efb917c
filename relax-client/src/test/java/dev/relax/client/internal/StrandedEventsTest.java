/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrandedEventsTest {
    private final StrandedEvents stranded = new StrandedEvents();

    @Test
    void anUntrackedEventIsStrandedOnlyOnItsSecondLook() {
        assertThat(stranded.confirm(List.of("a", "b"), raw -> false)).isEmpty();

        assertThat(stranded.confirm(List.of("a", "b"), raw -> false)).containsExactly("a", "b");
    }

    @Test
    void anEventAHandlerHoldsAtEitherLookIsNotStranded() {
        Set<String> heldFirst = Set.of("a");
        Set<String> heldThen = Set.of("b");
        stranded.confirm(List.of("a", "b", "c"), heldFirst::contains);

        assertThat(stranded.confirm(List.of("a", "b", "c"), heldThen::contains)).containsExactly("c");
    }

    @Test
    void anEventThatLeftTheListInBetweenStartsOver() {
        stranded.confirm(List.of("a"), raw -> false);
        stranded.confirm(List.of(), raw -> false);

        assertThat(stranded.confirm(List.of("a"), raw -> false)).isEmpty();
    }
}
