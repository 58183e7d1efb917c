/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's demo runs to its end and shows events and replies flowing. */
class DemoIT {

    @Test
    void demoPlaysTheConversationAndStopsEverything() throws Exception {
        DemoRun run = DemoRun.of(Demo::run);
        int status = run.status();
        String out = run.out();

        assertThat(status).isZero();
        assertThat(out)
                .contains("[event] message_new     UALICE in CGENERAL: <@URELAXBOT> what's the deploy status?")
                .contains("[slack] relaxbot posted: echo: what's the deploy status?")
                .contains("(DM): can you check staging?")
                .contains("[slack] relaxbot posted: echo: can you check staging?")
                .contains("[event] message_edited")
                .contains("[event] reaction_added  UBOB reacted :eyes:")
                .contains("2 replies posted")
                .contains("Everything stopped.")
                .doesNotContain("xoxb-demo-northwind");
    }
}
