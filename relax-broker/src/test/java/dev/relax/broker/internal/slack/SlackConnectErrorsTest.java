/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static dev.relax.broker.internal.slack.SlackConnectErrors.Meaning.RETRY_AFTER;
import static dev.relax.broker.internal.slack.SlackConnectErrors.Side.RTM;
import static dev.relax.broker.internal.slack.SlackConnectErrors.Side.SOCKET_MODE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlackConnectErrorsTest {

    @ParameterizedTest(name = "{0}: RTM {1}, Socket Mode {2}")
    @CsvSource({
        "invalid_auth, DISABLE, DISABLE",
        "not_authed, DISABLE, DISABLE",
        "account_inactive, DISABLE, DISABLE",
        "token_revoked, DISABLE, DISABLE",
        "token_expired, RETRY, DISABLE",
        "app_uninstalled, RETRY, DISABLE",
        "link_disabled, RETRY, DISABLE",
        "not_allowed_token_type, RETRY_NOT_FOR_RTM, DISABLE",
        "missing_scope, RETRY_NOT_FOR_RTM, DISABLE",
        "no_permission, RETRY_NOT_FOR_RTM, DISABLE",
        "too_many_websockets, RETRY, RETRY",
        "ratelimited, RETRY_AFTER, RETRY_AFTER",
        "internal_error, RETRY, RETRY",
        "migration_in_progress, RETRY, RETRY"
    })
    void eachErrorMeansWhatTheTableSaysToEachProtocol(
            String error, SlackConnectErrors.Meaning rtm, SlackConnectErrors.Meaning socketMode) {
        assertThat(SlackConnectErrors.meaning(RTM, error)).isEqualTo(rtm);
        assertThat(SlackConnectErrors.meaning(SOCKET_MODE, error)).isEqualTo(socketMode);
    }

    @Test
    void anyHttp429IsARateLimitWhateverItsBody() {
        var body = new ObjectMapper().createObjectNode().put("ok", false).put("error", "invalid_auth");
        var answer = new SlackWebApi.Response(429, body, Optional.empty());

        assertThat(SlackConnectErrors.meaning(RTM, answer)).isEqualTo(RETRY_AFTER);
        assertThat(SlackConnectErrors.meaning(SOCKET_MODE, answer)).isEqualTo(RETRY_AFTER);
    }
}
