/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The demo's Add to Slack part runs to its end: installed in a browser, token sealed, first mention answered. */
class InstallDemoIT {
    @Test
    void demoInstallsTheAppThroughAddToSlackAndItAnswers() throws Exception {
        DemoRun run = DemoRun.of(InstallDemo::run);
        int status = run.status();
        String out = run.out();

        assertThat(status).isZero();
        assertThat(out)
                .contains("[browser] she clicks Add to Slack: Slack asks her to allow the app in Acme"
                        + " (/oauth/v2/authorize)")
                .containsPattern("\\[browser] she clicks Allow and comes back to the broker: 200, ")
                .containsPattern("bot_token = enc:v1:demo:[A-Za-z0-9+/]{12}… \\(AES-256-GCM, key 'demo'\\)")
                .contains("[slack]   helpdesk posted: " + InstallDemo.ANSWER)
                .contains("Everything stopped.")
                .doesNotContain("demo-client-secret");
    }
}
