/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BroadcastFilterTest {
    private final BroadcastFilter filter = new BroadcastFilter();

    @Test
    void holdsBackATailThatMayBecomeAMentionUntilItIsClosed() {
        assertThat(filter.accept("ping <")).isEqualTo("ping ");
        assertThat(filter.accept("!ever")).isEmpty();
        assertThat(filter.accept("yone> now")).isEqualTo("@everyone now");
    }

    @Test
    void releasesTextThatCannotBeAMention() {
        assertThat(filter.accept("a < b and <@U1> and <https://example.com|x>"))
                .isEqualTo("a < b and <@U1> and <https://example.com|x>");
        assertThat(filter.accept("x <b")).isEqualTo("x <b");
    }

    @Test
    void neutralisesAnUnfinishedTailAtTheEnd() {
        assertThat(filter.accept("see <!here")).isEqualTo("see ");
        assertThat(filter.end()).isEqualTo("see <!here".substring(4));
        assertThat(filter.end()).isEmpty();
    }

    @Test
    void keepsSpecialMentionsThatNotifyNobody() {
        assertThat(BroadcastFilter.neutralise("<!date^1700000000^{date}|today> <!channel|@channel> <!subteam^S1>"))
                .isEqualTo("<!date^1700000000^{date}|today> @channel @S1");
    }
}
