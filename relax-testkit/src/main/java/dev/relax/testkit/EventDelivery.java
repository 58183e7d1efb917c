/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.time.Instant;

/**
 * One HTTP request of Events API delivery (https://api.slack.com/apis/events-api), successful or not.
 *
 * @param eventId the {@code event_id} of the payload; empty for {@code url_verification}
 * @param type {@code event_callback} or {@code url_verification}
 * @param retryNum 0 for the first attempt, then the {@code X-Slack-Retry-Num} header sent
 * @param retryReason the {@code X-Slack-Retry-Reason} header sent; empty on the first attempt
 * @param status the HTTP status the endpoint answered, or -1 when it did not answer in time or at all
 * @param failure empty when delivered, else why the attempt failed ({@code http_timeout},
 *     {@code http_error}, {@code connection_failed}, {@code unknown_error})
 * @param body the JSON body that was posted
 */
public record EventDelivery(
        Instant at,
        String appId,
        String eventId,
        String type,
        int retryNum,
        String retryReason,
        int status,
        String failure,
        String body) {

    /** True when the endpoint answered 2xx in time. */
    public boolean delivered() {
        return failure.isEmpty();
    }
}
