/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallOutcomeTest {

    @Test
    void writesTheDocumentedJson() {
        CallOutcome outcome = new CallOutcome(
                "c1",
                true,
                "chat.postMessage",
                "C1",
                "1700000000.000100",
                "",
                2,
                "{\"ok\":true,\"ts\":\"1700000000.000100\"}");

        assertThat(outcome.toJson())
                .isEqualTo("{\"id\":\"c1\",\"ok\":true,\"method\":\"chat.postMessage\",\"channel\":\"C1\","
                        + "\"ts\":\"1700000000.000100\",\"error\":\"\",\"attempts\":2,"
                        + "\"response\":{\"ok\":true,\"ts\":\"1700000000.000100\"}}");
    }

    @Test
    void readsBackWhatItWrote() {
        CallOutcome outcome =
                new CallOutcome("c2", false, "chat.update", "C2", "", "outcome_unknown", 3, "{\"ok\":false}");

        assertThat(CallOutcome.fromJson(outcome.toJson())).contains(outcome);
    }

    @Test
    void aMissingResponseIsAnEmptyObject() {
        CallOutcome failed =
                new CallOutcome("c3", false, "chat.postMessage", "C3", "", "installation_not_found", 0, null);

        assertThat(failed.response()).isEqualTo("{}");
        assertThat(failed.toJson()).endsWith("\"attempts\":0,\"response\":{}}");
    }

    @Test
    void readsMissingFieldsAsEmptyAndRefusesWhatIsNoResult() {
        assertThat(CallOutcome.fromJson("{\"id\":\"c4\",\"response\":[1]}"))
                .contains(new CallOutcome("c4", false, "", "", "", "", 0, "{}"));
        assertThat(CallOutcome.fromJson("sentinel")).isEmpty();
        assertThat(CallOutcome.fromJson("[]")).isEmpty();
        assertThat(CallOutcome.fromJson("{\"ok\":true}")).as("no id").isEmpty();
    }

    @Test
    void toStringLeavesSlacksAnswerOut() {
        CallOutcome outcome =
                new CallOutcome("c5", true, "chat.postMessage", "C5", "1.2", "", 1, "{\"text\":\"secret plan\"}");

        assertThat(outcome.toString()).doesNotContain("secret plan").contains("c5", "ts=1.2");
    }
}
