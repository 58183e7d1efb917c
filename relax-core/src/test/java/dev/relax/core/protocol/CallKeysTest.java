/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CallKeysTest {
    private final CallKeys keys = new CallKeys("relax_bots_key:calls");

    @Test
    void namesEveryKeyAsTheProtocolDocumentsIt() {
        assertThat(keys.stream()).isEqualTo("relax_bots_key:calls");
        assertThat(CallKeys.GROUP).isEqualTo("relax-brokers");
        assertThat(keys.result("6f1c2a")).isEqualTo("relax_bots_key:calls:result:6f1c2a");
        assertThat(keys.results()).isEqualTo("relax_bots_key:calls:results");
        assertThat(keys.lanes()).isEqualTo("relax_bots_key:calls:lanes");
        assertThat(keys.attempt("6f1c2a")).isEqualTo("relax_bots_key:calls:attempt:6f1c2a");
        assertThat(keys.pace("T1", "chat.postMessage", "C1"))
                .isEqualTo("relax_bots_key:calls:pace:T1:chat.postMessage:C1");
        assertThat(keys.hold("T1", "chat.update")).isEqualTo("relax_bots_key:calls:hold:T1:chat.update");
    }

    @Test
    void anEmptyCallsKeyIsRefused() {
        assertThatThrownBy(() -> new CallKeys(" ")).hasMessage("the calls key must not be empty");
    }
}
